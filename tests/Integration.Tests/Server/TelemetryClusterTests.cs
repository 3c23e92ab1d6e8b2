using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// The live server with Prometheus enabled for loopback and the OpenTelemetry tracing pipeline of the server exporting
/// to memory: the spans of a request against the local cluster and the <c>/metrics</c> series after requests.
/// </summary>
public sealed class TelemetryLiveServer : LiveServer
{
    /// <summary>Every span the server's tracer provider exported (of every server in this process: filter by trace id).</summary>
    public LockedCollection<Activity> Spans { get; } = new();

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:Prometheus:Enabled", "true");
        builder.UseSetting("Telemetry:Prometheus:AllowedNetworks:0", "127.0.0.0/8");
        // A small bucket for token-less requests of one address (the burst below is refused), refilled once a second,
        // which is also how often the scrape loop asks.
        builder.UseSetting("Server:PreAuthRateLimitPerSecond", "1");
        builder.UseSetting("Server:PreAuthRateLimitBurst", "3");
        builder.ConfigureTestServices(s => s.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(Spans)));
    }

    /// <summary>A client whose requests come from <paramref name="address"/> (the TCP peer Kestrel would report).</summary>
    public HttpClient From(string address) =>
        new(Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address))) { BaseAddress = Server.BaseAddress };
}

/// <summary>An <see cref="ICollection{T}"/> safe to add to from the exporter's thread while a test reads snapshots.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) return _items.Count; } }

    public bool IsReadOnly => false;

    public void Add(T item) { lock (_items) _items.Add(item); }

    public void Clear() { lock (_items) _items.Clear(); }

    public bool Contains(T item) { lock (_items) return _items.Contains(item); }

    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }

    public bool Remove(T item) { lock (_items) return _items.Remove(item); }

    /// <summary>A copy of the items.</summary>
    public List<T> Snapshot() { lock (_items) return [.. _items]; }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed class TelemetryClusterTests(TelemetryLiveServer server, ITestOutputHelper output) : IClassFixture<TelemetryLiveServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_ops_ls_trace_has_the_ssh_span_as_a_child_of_the_request_span_and_no_secret_or_argument()
    {
        var token = await server.TokenAsync();
        using var http = await server.ClientForAsync();
        var requestId = Guid.NewGuid().ToString("N");
        const string path = "/home/fireuser";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/filesystem/{server.System}/ops/ls?path={Uri.EscapeDataString(path)}");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("X-Request-ID", requestId);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        // The request span is exported when it stops, which can be just after the answer reached the client.
        var root = await EventuallyAsync(() => server.Spans.Snapshot().SingleOrDefault(a =>
            a.Kind == ActivityKind.Server && (a.GetTagItem("firecrest.request_id") as string) == requestId));
        var trace = server.Spans.Snapshot().Where(a => a.TraceId == root.TraceId).ToList();
        foreach (var a in trace) output.WriteLine($"{a.Source.Name} {a.DisplayName} {a.SpanId} <- {a.ParentSpanId} {string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");

        var ls = Assert.Single(trace, a => a.Source.Name == "Firecrest.Core" && a.DisplayName == "ssh ls");
        Assert.Equal(root.SpanId, ls.ParentSpanId);
        Assert.Equal(ActivityKind.Client, ls.Kind);
        Assert.Equal(server.System, ls.GetTagItem("firecrest.system"));
        Assert.Equal("fireuser", ls.GetTagItem("enduser.id"));
        Assert.Equal("ls", ls.GetTagItem("firecrest.ssh.command"));
        Assert.Equal(0, ls.GetTagItem("process.exit.code"));
        Assert.Equal(requestId, ls.GetTagItem("firecrest.request_id"));
        Assert.Equal("/filesystem/{system_name}/ops/ls", root.GetTagItem("http.route"));
        Assert.Equal("fireuser", root.GetTagItem("enduser.id"));

        // No tag of any span of the trace carries the token, the listed path or an option of the ls command line.
        var values = trace.SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString() ?? "").ToList();
        Assert.NotEmpty(values);
        foreach (var forbidden in new[] { token, token[..20], path, "--quoting-style", "timeout " })
            Assert.DoesNotContain(values, v => v.Contains(forbidden, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_requests_metrics_show_request_ssh_pool_health_transfer_and_rate_limit_series()
    {
        using var http = await server.ClientForAsync();
        using (var ls = await http.GetAsync($"/filesystem/{server.System}/ops/ls?path=/home/fireuser"))
            Assert.True(ls.StatusCode == HttpStatusCode.OK, await ls.Content.ReadAsStringAsync());

        await UploadAndCancelAsync(http, $"/home/fireuser/otel-{Guid.NewGuid():N}.bin", Guid.NewGuid().ToString("N"));

        // Token-less requests of one address beyond its bucket: some are refused 429.
        using var anonymous = server.From("192.0.2.77");
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => anonymous.GetAsync("/status/liveness/")));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests);

        // The health gauge appears once the checker has finished its first run of the system (seconds after start); a request's
        // duration is recorded when the server has finished the request, which can be just after its client has the answer.
        using var scraper = server.From("127.0.0.1");
        var samples = await EventuallyAsync(async () =>
        {
            using var response = await scraper.GetAsync("/metrics");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var parsed = PrometheusText.Parse(text);
            // Each system's gauge appears when its own first run ends: wait for the one asserted below.
            return parsed.Any(s => s.Name == "firecrest_health_status" && s.Labels.GetValueOrDefault("firecrest_system") == server.System
                    && s.Labels.GetValueOrDefault("firecrest_health_service") == "ssh")
                && parsed.Any(s => s.Name == "http_server_request_duration_seconds_count"
                    && s.Labels.GetValueOrDefault("http_route") == "/filesystem/{system_name}/transfer/upload")
                ? parsed : null;
        });
        foreach (var s in samples.Where(s => s.Name.StartsWith("firecrest_", StringComparison.Ordinal)))
            output.WriteLine($"{s.Name} {string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}");

        bool Cluster(PrometheusSample s) => s.Labels.GetValueOrDefault("firecrest_system") == server.System;
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count"
            && s.Labels.GetValueOrDefault("http_route") == "/filesystem/{system_name}/ops/ls" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket"
            && s.Labels.GetValueOrDefault("http_route") == "/filesystem/{system_name}/transfer/upload");
        Assert.Contains(samples, s => s.Name == "firecrest_ssh_connections" && Cluster(s) && s.Value >= 0);
        Assert.Contains(samples, s => s.Name == "firecrest_ssh_channels_in_use" && Cluster(s) && s.Value >= 0);
        Assert.Contains(samples, s => s.Name == "firecrest_ssh_reconnects_total" && Cluster(s));
        Assert.Contains(samples, s => s.Name == "firecrest_ssh_queue_wait_seconds_count" && Cluster(s) && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "firecrest_ssh_command_duration_seconds_count" && Cluster(s)
            && s.Labels.GetValueOrDefault("firecrest_ssh_command") == "ls" && s.Labels.GetValueOrDefault("firecrest_outcome") == "ok" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "firecrest_health_status" && Cluster(s)
            && s.Labels.GetValueOrDefault("firecrest_health_service") == "ssh" && s.Value == 1);
        Assert.Contains(samples, s => s.Name == "firecrest_transfer_bytes_total" && Cluster(s)
            && s.Labels.GetValueOrDefault("firecrest_transfer_direction") == "upload" && s.Value >= 16);
        Assert.Contains(samples, s => s.Name == "firecrest_transfer_duration_seconds_count" && Cluster(s)
            && s.Labels.GetValueOrDefault("firecrest_transfer_kind") == "upload" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "firecrest_rate_limit_rejections_total"
            && s.Labels.GetValueOrDefault("firecrest_rate_limiter") == "pre_auth" && s.Value >= 1);
    }

    [Fact]
    public async Task A_transfer_upload_trace_has_the_transfer_S3_scheduler_and_ssh_spans_in_order_without_the_file_name_or_a_signature()
    {
        using var http = await server.ClientForAsync();
        var requestId = Guid.NewGuid().ToString("N");
        var target = $"/home/fireuser/otel-{Guid.NewGuid():N}.bin";
        await UploadAndCancelAsync(http, target, requestId);

        var root = await EventuallyAsync(() => server.Spans.Snapshot().SingleOrDefault(a =>
            a.Kind == ActivityKind.Server && (a.GetTagItem("firecrest.request_id") as string) == requestId));
        var trace = server.Spans.Snapshot().Where(a => a.TraceId == root.TraceId).ToList();
        foreach (var a in trace) output.WriteLine($"{a.Source.Name} {a.DisplayName} {a.SpanId} <- {a.ParentSpanId} {string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");

        var transfer = Assert.Single(trace, a => a.DisplayName == "transfer upload");
        Assert.Equal(root.SpanId, transfer.ParentSpanId);
        var multipart = Assert.Single(trace, a => a.DisplayName == "S3.CreateMultipartUpload");
        Assert.Equal(transfer.SpanId, multipart.ParentSpanId);
        Assert.Equal("fireuser", multipart.GetTagItem("aws.s3.bucket"));
        var submit = Assert.Single(trace, a => a.DisplayName == "slurm SubmitJob");
        Assert.Equal(transfer.SpanId, submit.ParentSpanId);
        var sbatch = Assert.Single(trace, a => a.DisplayName == "ssh sbatch");
        Assert.Equal(submit.SpanId, sbatch.ParentSpanId);

        var values = trace.SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString() ?? "").ToList();
        // The S3 requests' own spans are there (so the check below covers their URLs).
        var s3 = new Uri(server.Cluster["S3_URL"]);
        Assert.Contains(trace, a => a.Source.Name == "System.Net.Http" && Equals(a.GetTagItem("server.port"), s3.Port)
            && a.GetTagItem("url.full") is string url && url.StartsWith($"{s3.GetLeftPart(UriPartial.Authority)}/fireuser", StringComparison.Ordinal));
        foreach (var forbidden in new[] { target, Path.GetFileName(target), "X-Amz-Signature", "X-Amz-Credential", "#SBATCH" })
            Assert.DoesNotContain(values, v => v.Contains(forbidden, StringComparison.Ordinal));
    }

    /// <summary>Stages an upload of 16 bytes to <paramref name="target"/> and cancels its job at once (nobody uploads).</summary>
    private async Task UploadAndCancelAsync(HttpClient http, string target, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/filesystem/{server.System}/transfer/upload")
        {
            Content = JsonContent.Create(new { path = target, account = server.Cluster["SLURM_ACCOUNT"], transferDirectives = new { transferMethod = "s3", fileSize = 16 } }),
        };
        request.Headers.Add("X-Request-ID", requestId);
        using var upload = await http.SendAsync(request);
        var body = await upload.Content.ReadAsStringAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.Created, body);
        var jobId = JsonDocument.Parse(body).RootElement.GetProperty("transferJob").GetProperty("jobId").ToString();
        using var cancel = await http.DeleteAsync($"/compute/{server.System}/jobs/{jobId}");
        Assert.True(cancel.IsSuccessStatusCode, $"cancel of transfer job {jobId}: {(int)cancel.StatusCode}");
    }

    private static Task<T> EventuallyAsync<T>(Func<T?> probe) where T : class => EventuallyAsync(() => Task.FromResult(probe()));

    /// <summary>Asks <paramref name="probe"/> once a second until it answers, for at most <see cref="Patience"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (deadline.Elapsed > Patience) throw new TimeoutException($"nothing after {Patience.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
