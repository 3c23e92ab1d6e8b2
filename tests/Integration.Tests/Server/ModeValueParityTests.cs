using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// The same job and node read through the Slurm-over-SSH server and the slurmrestd-only server give the same values:
/// state, tasks (ids and states), nodes (also of a pending job), allocation, times (elapsed within the seconds between
/// the two reads) and the node's CPU load on the same scale.
/// </summary>
public sealed class ModeValueParityTests(LiveServer ssh, RestLiveServer rest, ITestOutputHelper output)
    : IClassFixture<LiveServer>, IClassFixture<RestLiveServer>
{
    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var r = await http.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> SubmitAsync(HttpClient http, string script)
    {
        using var r = await http.PostAsJsonAsync("/compute/cluster/jobs",
            new { job = new { name = "parity", workingDirectory = "/home/fireuser", script = "#!/bin/bash\n" + script + "\n" } });
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").ToString();
    }

    private static async Task<JsonElement> JobAsync(HttpClient http, string id) =>
        (await GetAsync(http, $"/compute/cluster/jobs/{id}")).GetProperty("jobs")[0];

    private void AssertSameJob(JsonElement a, JsonElement b, string what)
    {
        output.WriteLine($"{what} ssh:  {a}");
        output.WriteLine($"{what} rest: {b}");
        foreach (var key in new[] { "jobId", "name", "account", "allocationNodes", "cluster", "group", "nodes", "partition", "user", "workingDirectory", "priority" })
            Assert.True(a.GetProperty(key).ToString() == b.GetProperty(key).ToString(), $"{what}.{key}: ssh {a.GetProperty(key)} rest {b.GetProperty(key)}");
        foreach (var key in new[] { "state", "exitCode", "interruptSignal" })
            Assert.True(a.GetProperty("status").GetProperty(key).ToString() == b.GetProperty("status").GetProperty(key).ToString(),
                $"{what}.status.{key}: ssh {a.GetProperty("status").GetProperty(key)} rest {b.GetProperty("status").GetProperty(key)}");
        foreach (var key in new[] { "start", "end", "limit", "suspended" })
            Assert.True(a.GetProperty("time").GetProperty(key).ToString() == b.GetProperty("time").GetProperty(key).ToString(),
                $"{what}.time.{key}: ssh {a.GetProperty("time").GetProperty(key)} rest {b.GetProperty("time").GetProperty(key)}");
        var (ea, eb) = (a.GetProperty("time").GetProperty("elapsed"), b.GetProperty("time").GetProperty("elapsed"));
        Assert.True(ea.ValueKind == eb.ValueKind, $"{what}.time.elapsed: ssh {ea} rest {eb}");
        if (ea.ValueKind == JsonValueKind.Number) Assert.True(Math.Abs(ea.GetInt64() - eb.GetInt64()) <= 5, $"{what}.time.elapsed: ssh {ea} rest {eb}");
        static string Tasks(JsonElement j) => j.GetProperty("tasks").ValueKind != JsonValueKind.Array ? "null"
            : string.Join(", ", j.GetProperty("tasks").EnumerateArray().Select(t => $"{t.GetProperty("id")}:{t.GetProperty("status").GetProperty("state")}").Order());
        Assert.Equal(Tasks(a), Tasks(b));
    }

    [Fact]
    public async Task A_running_job_with_a_step_and_a_pending_job_read_the_same_in_both_modes()
    {
        using var s = await ssh.ClientForAsync();
        using var r = await rest.ClientForAsync();
        var running = await SubmitAsync(s, "srun --overlap true\nsleep 60");
        var pending = await SubmitAsync(s, "#SBATCH --begin=now+3600\ntrue");
        try
        {
            // Until sacct has the job's own row (Slurm 22.05 shows a placeholder for a moment after the start) the SSH
            // mode reads squeue, which has no exit code.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await JobAsync(s, running) is var j && (j.GetProperty("tasks") is not { ValueKind: JsonValueKind.Array } t || t.GetArrayLength() < 2
                || j.GetProperty("status").GetProperty("exitCode").ValueKind != JsonValueKind.Number))
            {
                Assert.True(DateTime.UtcNow < deadline, "the job's step never showed");
                await Task.Delay(500);
            }
            AssertSameJob(await JobAsync(s, running), await JobAsync(r, running), "running");
            AssertSameJob(await JobAsync(s, pending), await JobAsync(r, pending), "pending");
        }
        finally
        {
            await s.DeleteAsync($"/compute/cluster/jobs/{running}");
            await s.DeleteAsync($"/compute/cluster/jobs/{pending}");
        }
    }

    [Fact]
    public async Task A_node_reads_the_same_in_both_modes_with_the_cpu_load_on_one_scale()
    {
        using var s = await ssh.ClientForAsync();
        using var r = await rest.ClientForAsync();
        // Other tests start and end jobs on the same node: a pair counts only when the SSH mode reads the same state
        // before and after the REST read (the node did not change between the two modes' reads).
        JsonElement a, b;
        var attempts = 0;
        while (true)
        {
            a = (await GetAsync(s, "/status/cluster/nodes")).GetProperty("nodes")[0];
            b = (await GetAsync(r, "/status/cluster/nodes")).GetProperty("nodes")[0];
            var after = (await GetAsync(s, "/status/cluster/nodes")).GetProperty("nodes")[0];
            if (after.GetProperty("state").ToString() == a.GetProperty("state").ToString() || ++attempts == 10) break;
        }
        output.WriteLine($"ssh:  {a}");
        output.WriteLine($"rest: {b}");
        foreach (var key in new[] { "sockets", "cores", "threads", "cpus", "features", "name", "address", "hostname", "state", "partitions", "weight" })
            Assert.True(a.GetProperty(key).ToString() == b.GetProperty(key).ToString(), $"{key}: ssh {a.GetProperty(key)} rest {b.GetProperty(key)}");
        var (la, lb) = (a.GetProperty("cpuLoad").GetDouble(), b.GetProperty("cpuLoad").GetDouble());
        Assert.True(Math.Abs(la - lb) <= Math.Max(1.5, 0.5 * Math.Max(la, lb)), $"cpuLoad: ssh {la} rest {lb}");
    }
}
