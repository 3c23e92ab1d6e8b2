using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Faults;

/// <summary>
/// slurmctld stopped (there is one per host, so this runs only in the fault phase, alone): the compute routes of the
/// real server answer 503 in the error envelope after the next health run, and serve again after restart.
/// </summary>
[Trait("Category", "Faults")]
[Collection("Faults")]
public sealed class SlurmctldFaultTests(ITestOutputHelper output)
{
    private const int Interval = 2;

    private static string RenderConfig()
    {
        var yaml = File.ReadAllText(TestCluster.Current.ConfigPath);
        var fast = yaml.Replace("interval_check: 60", $"interval_check: {Interval}", StringComparison.Ordinal)
            .Replace("        timeout: 10\n", "        timeout: 3\n", StringComparison.Ordinal);
        if (fast == yaml) throw new InvalidOperationException("the demo configuration no longer has interval_check: 60");
        var path = Path.Combine(Path.GetTempPath(), $"firecrest-slurmctld-fault-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, fast);
        return path;
    }

    private static async Task<(TimeSpan Took, HttpResponseMessage Last)> PollAsync(HttpClient http, string url, HttpStatusCode wanted, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var r = await http.GetAsync(url);
            if (r.StatusCode == wanted || sw.Elapsed > limit) return (sw.Elapsed, r);
            r.Dispose();
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Stopped_slurmctld_gives_503_on_compute_routes_after_the_next_health_run_and_recovers()
    {
        var config = RenderConfig();
        try
        {
            await using var server = new ReliabilityServer(config);
            var env = TestCluster.Current;
            using var http = server.ClientWithToken(await ReliabilityServer.TokenAsync(env["OIDC_TOKEN_URL"], env["DEMO_CLIENT_ID"], env["DEMO_CLIENT_SECRET"]));
            const string jobs = "/compute/cluster/jobs";
            var (_, before) = await PollAsync(http, jobs, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await ClusterControl.StopAsync("slurmctld");
            try
            {
                var (took, down) = await PollAsync(http, jobs, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(Interval + 2 * 3 + 15));
                var text = await down.Content.ReadAsStringAsync();
                output.WriteLine($"503 {took.TotalSeconds:0.0} s after slurmctld stopped: {text}");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                using var doc = JsonDocument.Parse(text);
                Assert.Equal("error", doc.RootElement.GetProperty("errorType").GetString());
                Assert.Contains("scheduler", doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/status/liveness/")).StatusCode);
            }
            finally
            {
                await ClusterControl.UpAsync();
            }
            var (back, after) = await PollAsync(http, jobs, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            output.WriteLine($"compute route 200 again {back.TotalSeconds:0.0} s after cluster up returned");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
