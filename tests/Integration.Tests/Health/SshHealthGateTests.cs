using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Health;

/// <summary>
/// The ssh health gate on the real server and cluster, without stopping a shared service: next to the demo system
/// <c>cluster</c>, the configuration gets a copy whose sshd is a closed loopback port (<c>closed</c>). Once the health
/// checker has seen the closed port, compute, transfer and file routes of <c>closed</c> answer 503 with upstream's
/// message before anything is tried, while <c>cluster</c> answers as before.
/// </summary>
public sealed class SshHealthGateTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static TestCluster Env => TestCluster.Current;

    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-gate-").FullName;
    private ReliabilityServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var yaml = await File.ReadAllTextAsync(Env.ConfigPath);
        var start = yaml.IndexOf("- name: \"cluster\"", StringComparison.Ordinal);
        Assert.True(start > 0 && yaml.LastIndexOf("\nclusters:", StringComparison.Ordinal) < start, "the demo configuration's clusters are no longer its last key");
        var next = yaml.IndexOf("\n- name: ", start, StringComparison.Ordinal); // the systems after it (e.g. "streamer")
        var entry = (next < 0 ? yaml[start..] : yaml[start..(next + 1)]).Replace("interval_check: 60", "interval_check: 1", StringComparison.Ordinal);
        var closedPort = LoopbackPort.Free();
        var closed = entry.Replace("- name: \"cluster\"", "- name: \"closed\"", StringComparison.Ordinal)
            .Replace($"port: {Env["SSH_PORT"]}", $"port: {closedPort}", StringComparison.Ordinal);
        Assert.Contains($"port: {closedPort}", closed);
        var path = Path.Combine(_dir, "firecrest.yaml");
        await File.WriteAllTextAsync(path, yaml.TrimEnd() + "\n" + closed.TrimEnd() + "\n");
        _server = new ReliabilityServer(path);
        _http = _server.ClientWithToken(await ReliabilityServer.TokenAsync(Env["OIDC_TOKEN_URL"], Env["DEMO_CLIENT_ID"], Env["DEMO_CLIENT_SECRET"]));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<bool> SshUnhealthyAsync(string system)
    {
        using var r = await _http.GetAsync("/status/systems");
        var systems = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("systems");
        var health = systems.EnumerateArray().Single(s => s.GetProperty("name").GetString() == system).GetProperty("servicesHealth");
        return health.ValueKind == JsonValueKind.Array && health.EnumerateArray()
            .Any(h => h.GetProperty("serviceType").GetString() == "ssh" && !h.GetProperty("healthy").GetBoolean());
    }

    private async Task<(HttpStatusCode, string)> CallAsync(Func<HttpClient, Task<HttpResponseMessage>> call, string what)
    {
        using var r = await call(_http);
        var text = await r.Content.ReadAsStringAsync();
        output.WriteLine($"{what}: {(int)r.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        return (r.StatusCode, text);
    }

    [Fact]
    public async Task Compute_and_transfer_routes_of_a_system_with_a_closed_ssh_port_answer_503_and_the_others_go_on()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await SshUnhealthyAsync("closed"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the health checker never reported the closed ssh port");
            await Task.Delay(250);
        }

        const string message = "The ssh service for the requested system (closed) is unhealthy.";
        var gated = new (string What, Func<HttpClient, Task<HttpResponseMessage>> Call)[]
        {
            ("job list", h => h.GetAsync("/compute/closed/jobs")),
            ("job", h => h.GetAsync("/compute/closed/jobs/1")),
            ("submit", h => h.PostAsJsonAsync("/compute/closed/jobs", new { job = new { workingDirectory = "/home/fireuser", script = "#!/bin/bash\ntrue\n" } })),
            ("transfer cp", h => h.PostAsJsonAsync("/filesystem/closed/transfer/cp", new { sourcePath = "/home/fireuser/a", targetPath = "/home/fireuser/b" })),
            ("transfer upload", h => h.PostAsJsonAsync("/filesystem/closed/transfer/upload",
                new { path = "/home/fireuser/up", transferDirectives = new { transferMethod = "s3", fileSize = 10 } })),
            ("ops ls", h => h.GetAsync("/filesystem/closed/ops/ls?path=/home/fireuser")),
        };
        foreach (var (what, call) in gated)
        {
            var (status, body) = await CallAsync(call, what);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(message, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        }

        var (ok, text) = await CallAsync(h => h.GetAsync("/compute/cluster/jobs?allusers=false"), "healthy system");
        Assert.True(ok == HttpStatusCode.OK, text);
        Assert.False(await SshUnhealthyAsync("cluster"));
        (ok, text) = await CallAsync(h => h.GetAsync("/status/liveness/"), "liveness");
        Assert.True(ok == HttpStatusCode.OK, text);
    }
}
