using System.Text.Json;
using System.Text.Json.Nodes;
using Firecrest.Core;
using Firecrest.Core.Ssh;
using Firecrest.Mcp.Tests.Infrastructure;
using Firecrest.Tests.Support;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Every tool the server lists, called through the official MCP TypeScript SDK client (tests/Mcp.Tests/sdkclient,
/// drive.mjs) on stdio (direct and remote mode) and on HTTP <c>/mcp</c>, against the local cluster. The SDK client
/// checks each structuredContent against the tool's outputSchema and throws when it does not match; drive.mjs first
/// proves on a deliberately broken tool that it does.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class SdkClientTests(RestServerProcess server) : IClassFixture<RestServerProcess>, IAsyncLifetime
{
    private const string System = "cluster";
    private readonly DirectSshShell _ssh = new();
    private readonly string _dir = $"/home/fireuser/mcp-sdk-{Guid.NewGuid():N}";
    private readonly string _local = Path.Combine(Path.GetTempPath(), $"mcp-sdk-{Guid.NewGuid():N}");

    /// <summary>
    /// Valid sample arguments per tool, in the order they run (later steps use what earlier ones made: {dir}, {job}, …).
    /// A tool that tools/list shows and no step calls fails the test: add a step for it here.
    /// </summary>
    internal static readonly (string Tool, object Arguments, Dictionary<string, string>? Capture)[] Steps =
    [
        ("list_systems", new { }, null),
        ("get_system_status", new { system = System }, null),
        ("list_partitions", new { system = System }, null),
        ("get_user_info", new { system = System }, null),
        ("make_directory", new { system = System, path = "{dir}" }, null),
        ("write_file", new { system = System, path = "{dir}/in.txt", content = "hello from the sdk test\n" }, null),
        ("list_directory", new { system = System, path = "{dir}" }, null),
        ("read_file", new { system = System, path = "{dir}/in.txt", mode = "tail", lines = 5 }, null),
        ("stat_path", new { system = System, path = "{dir}/in.txt" }, null),
        ("checksum", new { system = System, path = "{dir}/in.txt" }, null),
        ("copy_path", new { system = System, source_path = "{dir}/in.txt", target_path = "{dir}/copy.txt", timeout_seconds = 120 }, null),
        ("move_path", new { system = System, source_path = "{dir}/copy.txt", target_path = "{dir}/moved.txt", timeout_seconds = 120 }, null),
        ("submit_job", new { system = System, script = "#!/bin/bash\necho sdk-job-output\n", working_directory = "{dir}", name = "sdk-test" }, new() { ["job"] = "jobId" }),
        ("list_jobs", new { system = System, name = "sdk-test" }, null),
        ("wait_for_job", new { system = System, job_id = "{job}", timeout_seconds = 120, poll_seconds = 2 }, null),
        ("get_job", new { system = System, job_id = "{job}" }, null),
        ("get_job_output", new { system = System, job_id = "{job}", stream = "stdout", lines = 10 }, null),
        ("submit_job", new { system = System, script = "#!/bin/bash\nsleep 300\n", working_directory = "{dir}", name = "sdk-sleeper" }, new() { ["sleeper"] = "jobId" }),
        ("cancel_job", new { system = System, job_id = "{sleeper}" }, null),
        ("describe_job", new { system = System, job_id = "{job}", tail_lines = 5 }, null),
        ("list_nodes", new { system = System }, null),
        ("submit_job_array", new { system = System, script = "#!/bin/bash\necho task-$SLURM_ARRAY_TASK_ID\n", working_directory = "{dir}", array = "1-2", name = "sdk-array" }, new() { ["array"] = "jobId" }),
        ("list_array_tasks", new { system = System, job_id = "{array}" }, null),
        ("submit_job", new { system = System, script = "#!/bin/bash\n#SBATCH --begin=now+3600\nsleep 60\n", working_directory = "{dir}", name = "sdk-held" }, new() { ["held"] = "jobId" }),
        ("hold_job", new { system = System, job_id = "{held}" }, null),
        ("release_job", new { system = System, job_id = "{held}" }, null),
        ("cancel_job", new { system = System, job_id = "{held}" }, null),
        ("run_command", new { system = System, command = "echo from-run-command", working_directory = "{dir}", timeout_seconds = 120 }, null),
        ("upload_file", new { system = System, local_path = "{local}/up.txt", remote_path = "{dir}/up.txt" }, null),
        ("download_file", new { system = System, remote_path = "{dir}/up.txt", local_path = "{local}/down.txt" }, null),
        ("run_batch", new { yaml = $"system: {System}\ndefaults:\n  workingDirectory: {{dir}}/batch\njobs:\n  one:\n    script: echo batch-one\n" }, new() { ["run"] = "runId" }),
        ("get_batch_status", new { run_id = "{run}" }, null),
        ("cancel_batch", new { run_id = "{run}" }, null),
        ("remove_path", new { system = System, path = "{dir}/moved.txt" }, null),
    ];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_local);
        File.WriteAllText(Path.Combine(_local, "up.txt"), "uploaded by the sdk test\n");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _ssh.RunAsync(System, new UserIdentity("fireuser"), new RemoteCommand("rm -rf -- " + ShellQuote.Quote(_dir)), CancellationToken.None);
        _ssh.Dispose();
        Directory.Delete(_local, recursive: true);
    }

    [Fact]
    public async Task Every_tool_works_through_the_typescript_sdk_on_stdio_in_direct_mode() =>
        AssertAllToolsWork(await DriveAsync(new JsonObject
        {
            ["type"] = "stdio", ["command"] = "dotnet",
            ["args"] = new JsonArray(McpServerBinary.Path, "--config", server.Cluster.ConfigPath, "--user", "fireuser", "--allow-commands"),
        }));

    [Fact]
    public async Task Every_tool_works_through_the_typescript_sdk_on_stdio_in_remote_mode()
    {
        var (id, secret) = server.ClientOf("fireuser");
        AssertAllToolsWork(await DriveAsync(new JsonObject
        {
            ["type"] = "stdio", ["command"] = "dotnet",
            ["args"] = new JsonArray(McpServerBinary.Path, "--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"],
                "--client-id", id, "--client-secret", secret, "--allow-commands"),
        }));
    }

    [Fact]
    public async Task Every_tool_works_through_the_typescript_sdk_on_http() =>
        AssertAllToolsWork(await DriveAsync(new JsonObject
        {
            ["type"] = "http", ["url"] = new Uri(server.BaseUrl, "mcp").ToString(), ["token"] = await server.TokenAsync(),
        }));

    private static void AssertAllToolsWork(JsonElement report)
    {
        Assert.False(report.TryGetProperty("fatal", out var fatal), $"the SDK client failed: {fatal}");
        Assert.Equal("ok", report.GetProperty("selfCheck").GetString());
        var missing = report.GetProperty("missingSamples").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.True(missing.Count == 0,
            $"tools/list shows tools without sample arguments in SdkClientTests.Steps: {string.Join(", ", missing)}. Add a step for each.");
        var called = 0;
        foreach (var r in report.GetProperty("results").EnumerateArray())
        {
            if (r.TryGetProperty("skipped", out _)) continue;
            called++;
            var tool = r.GetProperty("tool").GetString();
            Assert.False(r.TryGetProperty("exception", out var e), $"{tool}: the SDK client refused the answer: {e}");
            Assert.False(r.GetProperty("isError").GetBoolean(), $"{tool} {r.GetProperty("arguments")}: {r.GetProperty("text")}");
            Assert.True(r.GetProperty("hasStructured").GetBoolean(), $"{tool} gave no structuredContent");
            Assert.True(r.GetProperty("jsonTextMatches").GetBoolean(), $"{tool}: no text block carries the structured content as JSON");
        }
        Assert.True(called >= report.GetProperty("listed").GetArrayLength(), "a listed tool was not called");
    }

    private async Task<JsonElement> DriveAsync(JsonObject transport)
    {
        var steps = new JsonArray(Steps.Select(s => (JsonNode?)new JsonObject
        {
            ["tool"] = s.Tool,
            ["arguments"] = JsonSerializer.SerializeToNode(s.Arguments),
            ["capture"] = s.Capture is null ? null : JsonSerializer.SerializeToNode(s.Capture),
        }).ToArray());
        return await SdkClientDriver.RunAsync(new JsonObject
        {
            ["transport"] = transport, ["steps"] = steps,
            ["vars"] = new JsonObject { ["dir"] = _dir, ["local"] = _local },
        }, TimeSpan.FromMinutes(8));
    }
}
