using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>Every tool called through a real MCP client and server (in-memory pipes) over a fake HPC system.</summary>
public sealed class ToolCallTests : IAsyncLifetime
{
    private readonly FakeHpc _hpc = new();
    private readonly JumpingClock _clock = new();
    private InMemoryMcp _mcp = null!;

    public async Task InitializeAsync()
    {
        _hpc.FilesByPath["/home/"] = "";
        _hpc.FilesByPath["/home/u/"] = "";
        _hpc.FilesByPath["/home/u/data/"] = "";
        _hpc.FilesByPath["/home/u/notes.txt"] = "one\ntwo\nthree\nfour\n";
        _hpc.FilesByPath["/home/u/.hidden"] = "h";
        _mcp = await InMemoryMcp.StartAsync(_hpc, new McpToolOptions { LocalFiles = true, AllowedSystems = ["alps"], AllowedPathPrefixes = ["/home/u", "/tmp"], MaxOutputBytes = 64 }, _clock);
    }

    public async Task DisposeAsync() => await _mcp.DisposeAsync();

    private static JsonElement Data(CallToolResult r)
    {
        Assert.True(r.IsError != true, InMemoryMcp.Text(r));
        return r.StructuredContent!.Value;
    }

    [Fact]
    public async Task List_systems_returns_allowed_systems_with_health()
    {
        var r = await _mcp.CallAsync("list_systems");
        var data = Data(r).GetProperty("items");
        Assert.Equal(1, data.GetArrayLength());
        Assert.Equal("alps", data[0].GetProperty("name").GetString());
        Assert.Equal("/home", data[0].GetProperty("defaultWorkDirectory").GetString());
        Assert.Contains("alps (healthy, slurm)", InMemoryMcp.Text(r));
        Assert.DoesNotContain("eiger", InMemoryMcp.Text(r));
    }

    [Fact]
    public async Task Get_system_status_counts_nodes_by_state()
    {
        var data = Data(await _mcp.CallAsync("get_system_status", new { system = "alps" }));
        Assert.Equal(3, data.GetProperty("nodes").GetInt32());
        Assert.Equal(2, data.GetProperty("nodesByState").GetProperty("idle").GetInt32());
    }

    [Fact]
    public async Task A_system_outside_the_allowed_list_is_refused_with_the_list()
    {
        var r = await _mcp.CallAsync("list_partitions", new { system = "eiger" });
        Assert.True(r.IsError);
        Assert.Contains("Allowed systems: alps", InMemoryMcp.Text(r));
    }

    [Fact]
    public async Task List_partitions_and_user_info()
    {
        var partitions = await _mcp.CallAsync("list_partitions", new { system = "alps" });
        Assert.Equal(["debug", "long"], partitions.StructuredContent!.Value.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Contains("2 partition(s) on alps: debug", InMemoryMcp.Text(partitions));
        var info = await _mcp.CallAsync("get_user_info", new { system = "alps" });
        Assert.Equal("fireuser", Data(info).GetProperty("user").GetProperty("name").GetString());
        Assert.Contains("hpcproj (default)", InMemoryMcp.Text(info));
    }

    [Fact]
    public async Task Submit_then_wait_reports_progress_and_the_final_state()
    {
        var submitted = Data(await _mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\necho hi\n", working_directory = "/home/u", name = "t1" }));
        var id = submitted.GetProperty("jobId").GetString()!;
        _hpc.NextStates.Enqueue("PENDING");
        _hpc.NextStates.Enqueue("RUNNING");
        _hpc.NextStates.Enqueue("COMPLETED");
        var reports = new List<ProgressNotificationValue>();
        var clock = new TimerCountingClock();
        await using var mcp = await InMemoryMcp.StartAsync(_hpc, new McpToolOptions(), clock);
        var call = mcp.CallAsync("wait_for_job", new { system = "alps", job_id = id, poll_seconds = 1, timeout_seconds = 30 }, new SyncProgress(reports));
        await StepClockPerReportAsync(clock, reports, call, TimeSpan.FromSeconds(1));
        var waited = Data(await call);
        Assert.True(waited.GetProperty("finished").GetBoolean());
        Assert.Equal("completed", waited.GetProperty("job").GetProperty("state").GetString());
        // Polls 1 and 2 were each seen before the clock moved on; the last one's notice goes out before the answer, but
        // the client may hand it to the callback after the call has returned.
        Assert.InRange(Count(reports), 2, 3);
        Assert.Contains(reports, p => p.Message!.Contains("running"));
    }

    [Fact]
    public async Task Wait_for_job_times_out_with_finished_false_and_a_next_step()
    {
        var id = Data(await _mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\nsleep 100\n", working_directory = "/home/u" })).GetProperty("jobId").GetString();
        var r = await _mcp.CallAsync("wait_for_job", new { system = "alps", job_id = id, poll_seconds = 4, timeout_seconds = 10 });
        Assert.False(Data(r).GetProperty("finished").GetBoolean());
        Assert.Equal(10, Data(r).GetProperty("waitedSeconds").GetDouble());
        Assert.Contains("Call wait_for_job again", InMemoryMcp.Text(r));
        // polls 1 s apart, growing by half up to poll_seconds, the last one cut to the deadline
        Assert.Equal([1, 1.5, 2.25, 3.375, 1.875], _clock.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Wait_for_job_waits_for_a_job_not_listed_yet()
    {
        var id = Data(await _mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\n", working_directory = "/home/u" })).GetProperty("jobId").GetString();
        _hpc.UnlistedPolls = 2;
        _hpc.NextStates.Enqueue("COMPLETED");
        var waited = Data(await _mcp.CallAsync("wait_for_job", new { system = "alps", job_id = id }));
        Assert.True(waited.GetProperty("finished").GetBoolean());
        Assert.Equal(3, _hpc.JobPolls);
    }

    [Fact]
    public async Task Wait_for_job_is_cancellable()
    {
        await using var mcp = await InMemoryMcp.StartAsync(_hpc, new McpToolOptions(), new FakeTimeProvider());
        var id = Data(await mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\nsleep 100\n", working_directory = "/home/u" })).GetProperty("jobId").GetString();
        using var cts = new CancellationTokenSource();
        var progress = new CancelOnReport(cts);
        // the clock never moves: the wait ends only because the call is cancelled after its first poll
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mcp.CallAsync("wait_for_job", new { system = "alps", job_id = id, poll_seconds = 1, timeout_seconds = 600 }, progress, cts.Token));
        Assert.Equal(1, _hpc.JobPolls);
    }

    [Fact]
    public async Task Run_command_waits_for_its_job_and_returns_the_output()
    {
        var hpc = new FakeHpc();
        hpc.FilesByPath["/home/u/"] = "";
        hpc.FilesByPath["/home/u/slurm-101.out"] = "hello\n"; // the first job of a fresh fake is 101
        foreach (var state in new[] { "PENDING", "RUNNING", "COMPLETED" }) hpc.NextStates.Enqueue(state);
        var clock = new TimerCountingClock();
        await using var mcp = await InMemoryMcp.StartAsync(hpc, new McpToolOptions { AllowCommands = true }, clock);
        var reports = new List<ProgressNotificationValue>();
        var call = mcp.CallAsync("run_command", new { system = "alps", command = "echo hello", working_directory = "/home/u" }, new SyncProgress(reports));
        await StepClockPerReportAsync(clock, reports, call, TimeSpan.FromSeconds(1));
        var r = Data(await call);
        Assert.Equal(("101", "completed", "hello\n"), (r.GetProperty("jobId").GetString(), r.GetProperty("state").GetString(), r.GetProperty("output").GetString()));
        Assert.Equal(3, hpc.JobPolls);
        // Polls 1 and 2 were each seen before the clock moved on; the last one's notice goes out before the answer, but
        // the client may hand it to the callback after the call has returned.
        Assert.InRange(Count(reports), 2, 3);
        Assert.Contains(reports, p => p.Message == "job 101: running after 1s");
    }

    [Fact]
    public async Task List_get_cancel_and_output_of_a_job()
    {
        var id = Data(await _mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\necho hi\n", working_directory = "/home/u", name = "mine" })).GetProperty("jobId").GetString()!;
        _hpc.FilesByPath[$"/home/u/slurm-{id}.out"] = string.Concat(Enumerable.Range(1, 50).Select(i => $"line {i}\n"));
        var list = Data(await _mcp.CallAsync("list_jobs", new { system = "alps", name = "mine" })).GetProperty("items");
        Assert.Equal(id, list[0].GetProperty("jobId").GetString());
        var job = Data(await _mcp.CallAsync("get_job", new { system = "alps", job_id = id }));
        Assert.Equal("pending", job.GetProperty("job").GetProperty("state").GetString());
        Assert.Contains("echo hi", job.GetProperty("script").GetString());
        var output = await _mcp.CallAsync("get_job_output", new { system = "alps", job_id = id, lines = 3 });
        Assert.Equal("line 48\nline 49\nline 50\n", InMemoryMcp.Text(output));
        var capped = Data(await _mcp.CallAsync("get_job_output", new { system = "alps", job_id = id, lines = 50 }));
        Assert.True(capped.GetProperty("truncated").GetBoolean());
        Assert.EndsWith("line 50\n", capped.GetProperty("content").GetString());
        Assert.True(capped.GetProperty("content").GetString()!.Length <= 64);
        Data(await _mcp.CallAsync("cancel_job", new { system = "alps", job_id = id }));
        Assert.Contains($"cancel {id}", _hpc.Calls);
    }

    [Fact]
    public async Task Unknown_job_gives_an_error_that_says_what_to_do()
    {
        var r = await _mcp.CallAsync("get_job", new { system = "alps", job_id = "999" });
        Assert.True(r.IsError);
        Assert.Contains("Job 999 not found", InMemoryMcp.Text(r));
        Assert.Contains("list_jobs", InMemoryMcp.Text(r));
        var bad = await _mcp.CallAsync("cancel_job", new { system = "alps", job_id = "1; rm -rf /" });
        Assert.True(bad.IsError);
        Assert.Contains("is not a job id", InMemoryMcp.Text(bad));
    }

    [Fact]
    public async Task List_directory_hides_dot_files_unless_asked()
    {
        var r = await _mcp.CallAsync("list_directory", new { system = "alps", path = "/home/u" });
        var names = Data(r).GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["data", "notes.txt"], names);
        var all = Data(await _mcp.CallAsync("list_directory", new { system = "alps", path = "/home/u", show_hidden = true })).GetProperty("items");
        Assert.Equal(3, all.GetArrayLength());
    }

    [Fact]
    public async Task Paths_outside_the_prefixes_relative_or_with_dotdot_are_refused()
    {
        foreach (var path in new[] { "/etc", "home/u", "/home/u/../../etc", "/home/user2" })
        {
            var r = await _mcp.CallAsync("list_directory", new { system = "alps", path });
            Assert.True(r.IsError, path);
        }
        Assert.Empty(_hpc.Calls);
    }

    [Fact]
    public async Task Read_file_head_tail_window_and_cap()
    {
        Assert.Equal("one\ntwo\n", InMemoryMcp.Text(await _mcp.CallAsync("read_file", new { system = "alps", path = "/home/u/notes.txt", lines = 2 })));
        Assert.Equal("four\n", InMemoryMcp.Text(await _mcp.CallAsync("read_file", new { system = "alps", path = "/home/u/notes.txt", mode = "tail", lines = 1 })));
        Assert.Equal("two", InMemoryMcp.Text(await _mcp.CallAsync("read_file", new { system = "alps", path = "/home/u/notes.txt", mode = "window", offset = 4, size = 3 })));
        _hpc.FilesByPath["/home/u/big"] = new string('x', 500);
        var big = Data(await _mcp.CallAsync("read_file", new { system = "alps", path = "/home/u/big", mode = "window" }));
        Assert.True(big.GetProperty("content").GetString()!.Length <= 64);
        var bad = await _mcp.CallAsync("read_file", new { system = "alps", path = "/home/u/notes.txt", mode = "all" });
        Assert.True(bad.IsError);
    }

    [Fact]
    public async Task Write_stat_checksum_mkdir_remove()
    {
        Data(await _mcp.CallAsync("make_directory", new { system = "alps", path = "/home/u/new" }));
        Data(await _mcp.CallAsync("write_file", new { system = "alps", path = "/home/u/new/a.sh", content = "abc" }));
        Assert.Equal("abc", _hpc.FilesByPath["/home/u/new/a.sh"]);
        Assert.Equal(3, Data(await _mcp.CallAsync("stat_path", new { system = "alps", path = "/home/u/new/a.sh" })).GetProperty("size").GetInt64());
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Data(await _mcp.CallAsync("checksum", new { system = "alps", path = "/home/u/new/a.sh" })).GetProperty("checksum").GetString());
        Data(await _mcp.CallAsync("remove_path", new { system = "alps", path = "/home/u/new" }));
        Assert.False(_hpc.FilesByPath.ContainsKey("/home/u/new/a.sh"));
        var missing = await _mcp.CallAsync("stat_path", new { system = "alps", path = "/home/u/new" });
        Assert.True(missing.IsError);
        Assert.Contains("No such file", InMemoryMcp.Text(missing));
    }

    [Fact]
    public async Task Write_file_refuses_content_over_the_cap()
    {
        await using var mcp = await InMemoryMcp.StartAsync(_hpc, new McpToolOptions { MaxWriteBytes = 10 });
        var r = await mcp.CallAsync("write_file", new { system = "alps", path = "/home/u/x", content = new string('a', 11) });
        Assert.True(r.IsError);
        Assert.Contains("upload_file", InMemoryMcp.Text(r));
        Assert.False(_hpc.FilesByPath.ContainsKey("/home/u/x"));
    }

    [Fact]
    public async Task Move_and_copy_wait_for_their_transfer_job()
    {
        Data(await _mcp.CallAsync("copy_path", new { system = "alps", source_path = "/home/u/notes.txt", target_path = "/home/u/copy.txt" }));
        Assert.Equal(_hpc.FilesByPath["/home/u/notes.txt"], _hpc.FilesByPath["/home/u/copy.txt"]);
        Data(await _mcp.CallAsync("move_path", new { system = "alps", source_path = "/home/u/copy.txt", target_path = "/home/u/moved.txt" }));
        Assert.False(_hpc.FilesByPath.ContainsKey("/home/u/copy.txt"));
        var failed = await _mcp.CallAsync("move_path", new { system = "alps", source_path = "/home/u/none", target_path = "/home/u/x" });
        Assert.True(failed.IsError);
        Assert.Contains("cannot stat", InMemoryMcp.Text(failed));
    }

    [Fact]
    public async Task Upload_and_download_between_the_local_machine_and_the_cluster()
    {
        var dir = Directory.CreateTempSubdirectory("mcp-test-");
        try
        {
            var local = Path.Combine(dir.FullName, "in.txt");
            await File.WriteAllTextAsync(local, "payload");
            Data(await _mcp.CallAsync("upload_file", new { system = "alps", local_path = local, remote_path = "/home/u/data/in.txt" }));
            Assert.Equal("payload", _hpc.FilesByPath["/home/u/data/in.txt"]);
            var back = Path.Combine(dir.FullName, "back.txt");
            Data(await _mcp.CallAsync("download_file", new { system = "alps", remote_path = "/home/u/data/in.txt", local_path = back }));
            Assert.Equal("payload", await File.ReadAllTextAsync(back));
            _hpc.FilesByPath["/home/u/huge"] = new string('x', 2000);
            var tooLarge = await _mcp.CallAsync("download_file", new { system = "alps", remote_path = "/home/u/huge", local_path = back });
            Assert.True(tooLarge.IsError);
            Assert.Contains("larger than", InMemoryMcp.Text(tooLarge));
            var missing = await _mcp.CallAsync("upload_file", new { system = "alps", local_path = Path.Combine(dir.FullName, "nope"), remote_path = "/home/u/x" });
            Assert.Contains("does not exist", InMemoryMcp.Text(missing));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task Job_output_and_script_are_readable_as_resources()
    {
        var id = Data(await _mcp.CallAsync("submit_job", new { system = "alps", script = "#!/bin/bash\necho res\n", working_directory = "/home/u" })).GetProperty("jobId").GetString();
        _hpc.FilesByPath[$"/home/u/slurm-{id}.out"] = "res\n";
        var stdout = await _mcp.Client.ReadResourceAsync($"firecrest://alps/jobs/{id}/stdout");
        Assert.Equal("res\n", Assert.IsType<TextResourceContents>(stdout.Contents[0]).Text);
        var script = await _mcp.Client.ReadResourceAsync($"firecrest://alps/jobs/{id}/script");
        Assert.Contains("echo res", Assert.IsType<TextResourceContents>(script.Contents[0]).Text);
    }

    [Fact]
    public async Task Prompts_mention_the_tools_and_arguments()
    {
        var p = await _mcp.Client.GetPromptAsync("diagnose_failed_job", new Dictionary<string, object?> { ["system"] = "alps", ["job_id"] = "42" });
        var text = Assert.IsType<TextContentBlock>(p.Messages[0].Content).Text;
        Assert.Contains("get_job_output", text);
        Assert.Contains("firecrest://alps/jobs/42/script", text);
    }

    [Fact]
    public async Task Every_call_is_logged_with_tool_and_outcome()
    {
        await _mcp.CallAsync("list_systems");
        await _mcp.CallAsync("get_job", new { system = "alps", job_id = "999" });
        await WaitUntil(() => _mcp.ServerLogs.Count(l => l.Contains(FirecrestMcp.CallLogCategory)) >= 2);
        var lines = _mcp.ServerLogs.Where(l => l.Contains(FirecrestMcp.CallLogCategory)).ToList();
        Assert.Contains(lines, l => l.Contains("list_systems") && l.Contains("ok"));
        Assert.Contains(lines, l => l.Contains("get_job") && l.Contains("NotFound"));
    }

    /// <summary>
    /// Moves the clock by <paramref name="step"/> only once the client has received the progress of the poll before and
    /// the wait has begun its sleep, so every notification arrives while the call is still open, none can race the
    /// answer, and no move is lost by landing before the sleep's timer exists.
    /// </summary>
    private static async Task StepClockPerReportAsync(TimerCountingClock clock, List<ProgressNotificationValue> reports, Task call, TimeSpan step)
    {
        var seen = 0;
        while (!call.IsCompleted)
        {
            await WaitUntil(() => (Count(reports) > seen && clock.Timers > seen) || call.IsCompleted);
            seen = Count(reports);
            clock.Advance(step);
        }
    }

    private static int Count(List<ProgressNotificationValue> reports)
    {
        lock (reports) return reports.Count;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Up to 30 s: progress notifications and log lines arrive after the call's answer, later still on a busy machine.
        for (var i = 0; i < 300 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition());
    }

    private sealed class CancelOnReport(CancellationTokenSource cts) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => cts.Cancel();
    }

    private sealed class SyncProgress(List<ProgressNotificationValue> values) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) { lock (values) values.Add(value); }
    }
}
