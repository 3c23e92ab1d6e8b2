using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Mcp;

/// <summary>The job tools over HTTP /mcp of the real server (the engine, Slurm CLI over SSH) as fireuser.</summary>
[Trait("Category", "Cluster")]
public sealed class HttpJobToolsTests(LiveServer server) : IClassFixture<LiveServer>
{
    private const string Scratch = "/scratch/fireuser";

    private Task<McpClient> ConnectAsync(string user = "fireuser") => server.McpClientForAsync(user);

    private static string Text(CallToolResult r) => string.Join("\n", r.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static async Task<JsonElement> OkAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var r = await client.CallToolAsync(tool, args);
        Assert.True(r.IsError != true, $"{tool}: {Text(r)}");
        return r.StructuredContent!.Value;
    }

    private async Task<string> SubmitAsync(McpClient client, string script, string tool = "submit_job", Dictionary<string, object?>? extra = null)
    {
        var args = new Dictionary<string, object?> { ["system"] = server.System, ["script"] = script, ["working_directory"] = Scratch, ["name"] = "mcp-it" };
        foreach (var (k, v) in extra ?? []) args[k] = v;
        return (await OkAsync(client, tool, args)).GetProperty("jobId").GetString()!;
    }

    private async Task<JsonElement> WaitAsync(McpClient client, string id) =>
        (await OkAsync(client, "wait_for_job", new() { ["system"] = server.System, ["job_id"] = id, ["timeout_seconds"] = 120, ["poll_seconds"] = 1 })).GetProperty("job");

    [Fact]
    public async Task Cancel_is_idempotent_and_an_ended_job_answers_with_its_final_state()
    {
        await using var client = await ConnectAsync();
        var id = await SubmitAsync(client, "#!/bin/bash\nsleep 120\n");
        var first = await OkAsync(client, "cancel_job", new() { ["system"] = server.System, ["job_id"] = id });
        Assert.True(first.GetProperty("cancelRequested").GetBoolean());
        var job = await WaitAsync(client, id);
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("exitCode").ValueKind);

        var again = await OkAsync(client, "cancel_job", new() { ["system"] = server.System, ["job_id"] = id });
        Assert.False(again.GetProperty("cancelRequested").GetBoolean());
        Assert.Equal("cancelled", again.GetProperty("job").GetProperty("state").GetString());

        var done = await SubmitAsync(client, "#!/bin/bash\nexit 3\n");
        await WaitAsync(client, done);
        var ended = await OkAsync(client, "cancel_job", new() { ["system"] = server.System, ["job_id"] = done });
        Assert.False(ended.GetProperty("cancelRequested").GetBoolean());
        Assert.Equal(("failed", 3), (ended.GetProperty("job").GetProperty("state").GetString(), ended.GetProperty("job").GetProperty("exitCode").GetInt32()));
    }

    [Theory]
    [InlineData("working_directory", "/scratch/fireuser/no-such-dir-xyz", null, null, "does not exist")]
    [InlineData("working_directory", "/scratch/fireuser2", null, null, "not writable")]
    [InlineData("partition", Scratch, "nopartition", null, "unknown partition 'nopartition'")]
    [InlineData("account", Scratch, null, "noaccount", "'noaccount' is not an account")]
    public async Task Submit_is_checked_first_and_the_error_names_the_field(string field, string dir, string? partition, string? account, string problem)
    {
        await using var client = await ConnectAsync();
        var r = await client.CallToolAsync("submit_job", new Dictionary<string, object?>
        {
            ["system"] = server.System, ["script"] = "#!/bin/bash\ntrue\n", ["working_directory"] = dir, ["partition"] = partition, ["account"] = account,
        });
        Assert.True(r.IsError);
        Assert.Contains(field, Text(r), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(problem, Text(r));
    }

    [Fact]
    public async Task An_unknown_system_and_an_unwritable_batch_directory_are_refused_before_anything_runs()
    {
        await using var client = await ConnectAsync();
        var r = await client.CallToolAsync("submit_job", new Dictionary<string, object?> { ["system"] = "nosuchsystem", ["script"] = "#!/bin/bash\ntrue\n", ["working_directory"] = Scratch });
        Assert.True(r.IsError);
        Assert.Contains("unknown system 'nosuchsystem'", Text(r));
        var yaml = $"system: {server.System}\ndefaults: {{workingDirectory: /scratch/fireuser2/sub}}\njobs:\n  a:\n    script: \"#!/bin/bash\\ntrue\\n\"\n";
        var batch = await client.CallToolAsync("run_batch", new Dictionary<string, object?> { ["yaml"] = yaml });
        Assert.True(batch.IsError);
        Assert.Contains("jobs.a.workingDirectory", Text(batch), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task List_jobs_is_bounded_and_filtered()
    {
        await using var client = await ConnectAsync();
        var a = await SubmitAsync(client, "#!/bin/bash\ntrue\n");
        var b = await SubmitAsync(client, "#!/bin/bash\ntrue\n");
        await WaitAsync(client, a);
        await WaitAsync(client, b);
        var one = await OkAsync(client, "list_jobs", new() { ["system"] = server.System, ["limit"] = 1 });
        Assert.Single(one.GetProperty("items").EnumerateArray());
        Assert.True(one.GetProperty("truncated").GetBoolean());
        Assert.True(one.GetProperty("total").GetInt32() >= 2);
        // Just after a job ends Slurm 22.05's accounting shows a placeholder row (name "allocation") for a moment: ask again.
        var completed = await Eventually(() => client.CallToolAsync("list_jobs", new Dictionary<string, object?>
            {
                ["system"] = server.System, ["state"] = new[] { "completed" }, ["name"] = "mcp-it", ["since"] = DateTimeOffset.UtcNow.AddMinutes(-30),
            }).AsTask(),
            x => x.GetProperty("items").EnumerateArray().Any(j => j.GetProperty("jobId").GetString() == b));
        var items = completed.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, j => Assert.Equal(("completed", "mcp-it"), (j.GetProperty("state").GetString(), j.GetProperty("name").GetString())));
        var bad = await client.CallToolAsync("list_jobs", new Dictionary<string, object?> { ["system"] = server.System, ["state"] = new[] { "finished" } });
        Assert.True(bad.IsError);
        Assert.Contains("state", Text(bad));
    }

    [Fact]
    public async Task Partitions_and_nodes_show_limits_defaults_cpus_and_gpus()
    {
        await using var client = await ConnectAsync();
        var partitions = (await OkAsync(client, "list_partitions", new() { ["system"] = server.System })).GetProperty("items").EnumerateArray().ToList();
        var debug = partitions.Single(p => p.GetProperty("name").GetString() == "debug");
        var longPartition = partitions.Single(p => p.GetProperty("name").GetString() == "long");
        Assert.Equal((true, "UP", 8), (debug.GetProperty("isDefault").GetBoolean(), debug.GetProperty("state").GetString(), debug.GetProperty("totalCpus").GetInt32()));
        Assert.Equal(604800, longPartition.GetProperty("maxTimeSeconds").GetInt64());
        var nodes = await OkAsync(client, "list_nodes", new() { ["system"] = server.System, ["partition"] = "long" });
        var node = Assert.Single(nodes.GetProperty("items").EnumerateArray());
        Assert.Equal(("localhost", 8, 0), (node.GetProperty("name").GetString(), node.GetProperty("cpusTotal").GetInt32(), node.GetProperty("gpusTotal").GetInt32()));
        Assert.Equal(8, nodes.GetProperty("cpusTotal").GetInt32());
    }

    [Fact]
    public async Task A_job_array_runs_each_index_and_lists_its_tasks()
    {
        await using var client = await ConnectAsync();
        var id = await SubmitAsync(client, "#!/bin/bash\necho task-$SLURM_ARRAY_TASK_ID\n", "submit_job_array", new() { ["array"] = "1-3" });
        await WaitAsync(client, id);
        // Just after the end Slurm 22.05 may list the array as one placeholder row for a moment: ask again.
        var tasks = await Eventually(() => client.CallToolAsync("list_array_tasks", new Dictionary<string, object?> { ["system"] = server.System, ["job_id"] = id }).AsTask(),
            t => t.GetProperty("tasks").GetArrayLength() == 3 && t.GetProperty("tasks").EnumerateArray().All(x => x.GetProperty("state").GetString() == "completed"));
        Assert.Equal([$"{id}_1", $"{id}_2", $"{id}_3"], tasks.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetString()));
        var output = await OkAsync(client, "get_job_output", new() { ["system"] = server.System, ["job_id"] = $"{id}_2" });
        Assert.Equal("task-2", output.GetProperty("content").GetString()!.Trim());
        var bad = await client.CallToolAsync("submit_job_array", new Dictionary<string, object?>
        {
            ["system"] = server.System, ["script"] = "#!/bin/bash\ntrue\n", ["working_directory"] = Scratch, ["array"] = "1-3;id",
        });
        Assert.True(bad.IsError);
        Assert.Contains("array", Text(bad));
    }

    [Fact]
    public async Task Hold_and_release_a_pending_job_then_describe_it_with_accounting_and_output()
    {
        await using var client = await ConnectAsync();
        var id = await SubmitAsync(client, "#!/bin/bash\n#SBATCH --begin=now+3600\nsleep 60\n");
        var held = await OkAsync(client, "hold_job", new() { ["system"] = server.System, ["job_id"] = id });
        Assert.True(held.GetProperty("held").GetBoolean());
        Assert.Equal("JobHeldUser", held.GetProperty("job").GetProperty("reason").GetString());
        var released = await OkAsync(client, "release_job", new() { ["system"] = server.System, ["job_id"] = id });
        Assert.NotEqual("JobHeldUser", released.GetProperty("job").GetProperty("reason").GetString());
        await OkAsync(client, "cancel_job", new() { ["system"] = server.System, ["job_id"] = id });
        await WaitAsync(client, id);
        var ended = await client.CallToolAsync("hold_job", new Dictionary<string, object?> { ["system"] = server.System, ["job_id"] = id });
        Assert.True(ended.IsError);
        Assert.Contains("already ended", Text(ended));

        var marker = Guid.NewGuid().ToString("N");
        var done = await SubmitAsync(client, $"#!/bin/bash\n#SBATCH --time=00:05:00\necho {marker}\necho oops >&2\nexit 2\n", extra: new() { ["stderr_path"] = $"{Scratch}/describe-%j.err" });
        await WaitAsync(client, done);
        var d = await Eventually(() => client.CallToolAsync("describe_job", new Dictionary<string, object?> { ["system"] = server.System, ["job_id"] = done }).AsTask(),
            x => x.GetProperty("accounting") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("timeLimitSeconds").ValueKind == JsonValueKind.Number);
        Assert.Equal(("failed", 2), (d.GetProperty("job").GetProperty("state").GetString(), d.GetProperty("job").GetProperty("exitCode").GetInt32()));
        Assert.Equal(300, d.GetProperty("accounting").GetProperty("timeLimitSeconds").GetInt64());
        Assert.Equal(1, d.GetProperty("accounting").GetProperty("allocatedCpus").GetInt32());
        Assert.Equal(marker, d.GetProperty("outputTail").GetString()!.Trim());
        Assert.Equal($"{Scratch}/describe-{done}.err", d.GetProperty("errorPath").GetString());
        Assert.Equal("oops", d.GetProperty("errorTail").GetString()!.Trim());
    }

    /// <summary>Calls until the answer is not an error and <paramref name="done"/> holds, for at most 30 s; returns the last structured answer.</summary>
    private static async Task<JsonElement> Eventually(Func<Task<CallToolResult>> call, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var r = await call();
            if (r.IsError != true && done(r.StructuredContent!.Value)) return r.StructuredContent!.Value;
            Assert.True(DateTime.UtcNow < deadline, "no complete answer within 30 s: " + Text(r));
            await Task.Delay(500);
        }
    }
}
