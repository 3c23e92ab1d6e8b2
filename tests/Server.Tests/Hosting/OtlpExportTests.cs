using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Firecrest.Server.Tests.Hosting;

/// <summary>
/// OTLP export by configuration: nothing is collected without it; with <c>Telemetry:Otlp</c> the request spans and the
/// metrics reach the collector (a loopback HTTP listener standing in for one, <c>http/protobuf</c>).
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public void Without_configuration_no_tracer_or_meter_provider_runs()
    {
        using var f = new FirecrestFactory();
        Assert.Null(f.Services.GetService<TracerProvider>());
        Assert.Null(f.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task With_an_endpoint_spans_and_metrics_are_posted_to_the_collector_with_the_request_id()
    {
        var port = LoopbackPort.Free();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var accept = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try { context = await collector.GetContextAsync(); }
                catch (Exception) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var requestId = Guid.NewGuid().ToString("N");
        using (var f = new FirecrestFactory(serverSettings: new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = $"http://127.0.0.1:{port}",
            ["Telemetry:Otlp:Protocol"] = "http/protobuf",
        }))
        {
            Assert.NotNull(f.Services.GetService<TracerProvider>());
            using var client = f.ClientFor();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/status/systems");
            request.Headers.Add("X-Request-ID", requestId);
            await (await client.SendAsync(request)).AssertStatus(200);
            // Export now rather than on the exporters' schedules. The request span stops just after the answer has
            // left, so the trace flush is repeated until the span has gone out (or a minute has passed).
            Assert.True(f.Services.GetRequiredService<MeterProvider>().ForceFlush(30_000));
            var tracer = f.Services.GetRequiredService<TracerProvider>();
            for (var i = 0; i < 60 && !received.Any(p => p.Path == "/v1/traces" && Encoding.UTF8.GetString(p.Body).Contains(requestId, StringComparison.Ordinal)); i++)
            {
                if (i > 0) await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.True(tracer.ForceFlush(30_000));
            }
        }

        collector.Stop();
        await accept;
        var posts = received.ToList();
        var traces = posts.Where(p => p.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        // Protobuf carries strings as UTF-8: the request id tag and the route are in the exported span.
        var spans = string.Concat(traces.Select(t => Encoding.UTF8.GetString(t.Body)));
        Assert.Contains(requestId, spans, StringComparison.Ordinal);
        Assert.Contains("/status/systems", spans, StringComparison.Ordinal);
        Assert.Contains(posts, p => p.Path == "/v1/metrics" && Encoding.UTF8.GetString(p.Body).Contains("http.server.request.duration", StringComparison.Ordinal));
    }
}
