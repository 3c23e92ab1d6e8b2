using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;

namespace Firecrest.Integration.Tests.Server;

/// <summary><c>GET /status/readiness/</c> on the real server: ready once its health checker has probed the local cluster.</summary>
public sealed class ReadinessTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Becomes_ready_after_the_first_health_run_on_the_cluster()
    {
        using var http = server.CreateClient();
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        // The first run starts with the host and probes ssh, slurm, both file systems and S3 (10 s timeouts each).
        while ((response = await http.GetAsync("/status/readiness/")).StatusCode != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.StartsWith("Not ready: health_checked:", error.RootElement.GetProperty("message").GetString());
            await Task.Delay(200);
        }
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);

        using var ready = JsonDocument.Parse(text);
        var conditions = ready.RootElement.GetProperty("conditions").EnumerateArray().ToList();
        Assert.All(conditions, c => Assert.True(c.GetProperty("ready").GetBoolean(), c.GetRawText()));
        // Ready once any configured system has finished a run; the demo configuration has two, and either may finish first.
        var message = conditions.Single(c => c.GetProperty("name").GetString() == "health_checked").GetProperty("message").GetString()!;
        Assert.StartsWith("checked: ", message);
        var checkedSystems = message["checked: ".Length..].Split(", ").Select(s => s.Split(" at ")[0]).ToList();
        Assert.NotEmpty(checkedSystems);

        // Liveness (upstream's shape) agrees: each run readiness reported is listed there.
        using var liveness = JsonDocument.Parse(await http.GetStringAsync("/status/liveness/"));
        var runs = liveness.RootElement.GetProperty("healthcheckRuns");
        Assert.All(checkedSystems, s => Assert.True(runs.TryGetProperty(s, out _), $"{s} missing from {runs.GetRawText()}"));
    }
}
