using Firecrest.Core.Batch;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.Batch;

public sealed class BatchRunnerTests : IDisposable
{
    private readonly TempRunFolder _dir = new();
    private readonly FakeBatchOperations _ops = new();

    public void Dispose() => _dir.Dispose();

    private BatchDefinition Diamond(string extraB = "", string extraA = "")
    {
        _dir.Write("in.txt", "input data");
        return BatchFile.Load(_dir.Write("run.yaml", $"""
            system: cluster
            defaults: {"{"}workingDirectory: /w{"}"}
            jobs:
              A:
                script: echo a
                inputs: {"{"}in.txt: in.txt{"}"}
            {extraA}
              B:
                script: echo b
                dependsOn: [A]
            {extraB}
              C:
                script: echo c
                dependsOn: [A]
              D:
                script: echo d
                dependsOn: [B, C]
                outputs: {"{"}d.txt: out/d.txt{"}"}
            """));
    }

    private BatchRunner Runner(bool resume = false) => new(_ops, new BatchRunnerOptions { Resume = resume, PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(5) });

    [Fact]
    public async Task Diamond_is_submitted_in_order_with_afterok_and_outputs_downloaded()
    {
        var def = Diamond();
        _ops.RemoteFiles["/w/d.txt"] = "result"u8.ToArray();

        var report = await Runner().RunAsync(def, null, CancellationToken.None);

        Assert.True(report.Succeeded);
        Assert.Equal(["A", "B", "C", "D"], _ops.Submitted.Select(s => s.Job.Name));
        var ids = _ops.Submitted.ToDictionary(s => s.Job.Name!, s => s.Id);
        Assert.Null(_ops.Submitted[0].Job.Dependency);
        Assert.Equal($"afterok:{ids["A"]}", _ops.Submitted[1].Job.Dependency);
        Assert.Equal($"afterok:{ids["B"]}:{ids["C"]}", _ops.Submitted[3].Job.Dependency);
        Assert.Equal("input data", System.Text.Encoding.UTF8.GetString(_ops.RemoteFiles["/w/in.txt"]));
        Assert.Equal("result", File.ReadAllText(Path.Combine(_dir.Path, "out", "d.txt")));
        Assert.Equal([Path.Combine(_dir.Path, "out", "d.txt")], report["D"].Outputs);
        Assert.All(report.Jobs, j => Assert.Equal(JobState.Completed, j.State));
    }

    private BatchDefinition Single() => BatchFile.Load(_dir.Write("one.yaml", """
        system: cluster
        jobs:
          A: {script: echo a, workingDirectory: /w}
        """));

    [Fact]
    public async Task A_job_not_listed_yet_is_polled_on_the_backoff_until_it_shows()
    {
        _ops.UnlistedPolls = 3;
        var clock = new JumpingClock();
        var runner = new BatchRunner(_ops, new BatchRunnerOptions { PollInterval = TimeSpan.FromSeconds(1), MaxPollInterval = TimeSpan.FromSeconds(4), TimeProvider = clock });

        var report = await runner.RunAsync(Single(), null, CancellationToken.None);

        Assert.True(report.Succeeded);
        Assert.Equal([1, 1.5], clock.Delays.Select(d => d.TotalSeconds)); // no wait right after a change (the submission), then the backoff
    }

    [Fact]
    public async Task A_job_still_not_listed_after_the_grace_window_is_lost()
    {
        _ops.UnlistedPolls = int.MaxValue;
        var clock = new JumpingClock();
        var runner = new BatchRunner(_ops, new BatchRunnerOptions
        {
            PollInterval = TimeSpan.FromSeconds(1), MaxPollInterval = TimeSpan.FromSeconds(4), NotListedGrace = TimeSpan.FromSeconds(10), TimeProvider = clock,
        });

        var report = await runner.RunAsync(Single(), null, CancellationToken.None);

        Assert.Equal(BatchJobStatus.Failed, report["A"].Status);
        Assert.Contains("no longer known to the scheduler", report["A"].Error);
        Assert.Equal([1, 1.5, 2.25, 3.375, 4], clock.Delays.Select(d => d.TotalSeconds)); // lost at the first poll past 10 s
    }

    [Fact]
    public async Task Failed_B_skips_D_and_cancels_it_while_C_completes()
    {
        var def = Diamond();
        _ops.Outcome = (name, _) => name == "B" ? ("FAILED", 3) : ("COMPLETED", 0);

        var report = await Runner().RunAsync(def, null, CancellationToken.None);

        Assert.False(report.Succeeded);
        Assert.Equal(BatchJobStatus.Failed, report["B"].Status);
        Assert.Equal(3, report["B"].ExitCode);
        Assert.Equal(BatchJobStatus.Completed, report["C"].Status);
        Assert.Equal(BatchJobStatus.Skipped, report["D"].Status);
        Assert.Contains(report["D"].JobId!, _ops.Cancelled);
        Assert.Contains("'B'", report["D"].Error);
    }

    [Fact]
    public async Task Job_with_retries_is_resubmitted_and_dependents_wait_for_its_success()
    {
        var def = Diamond(extraB: "    retries: 1");
        _ops.Outcome = (name, attempt) => name == "B" && attempt == 1 ? ("FAILED", 1) : ("COMPLETED", 0);
        _ops.RemoteFiles["/w/d.txt"] = [1];

        var report = await Runner().RunAsync(def, null, CancellationToken.None);

        Assert.True(report.Succeeded);
        Assert.Equal(2, _ops.SubmitCount("B"));
        Assert.Equal(2, report["B"].Attempts);
        Assert.Equal(2, report["B"].JobIds.Count);
        var names = _ops.Submitted.Select(s => s.Job.Name).ToList();
        Assert.True(names.IndexOf("D") > names.LastIndexOf("B"), "D must wait for B's successful attempt: " + string.Join(",", names));
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var def = Diamond(extraB: "    retries: 2");
        _ops.Outcome = (name, _) => name == "B" ? ("TIMEOUT", 0) : ("COMPLETED", 0);

        var report = await Runner().RunAsync(def, null, CancellationToken.None);

        Assert.Equal(3, _ops.SubmitCount("B"));
        Assert.Equal(BatchJobStatus.Failed, report["B"].Status);
        Assert.Equal(BatchJobStatus.Skipped, report["D"].Status);
        Assert.Equal(0, _ops.SubmitCount("D"));
    }

    [Fact]
    public async Task Resume_does_not_resubmit_completed_jobs_and_reattaches_running_ones()
    {
        var def = Diamond();
        _ops.RemoteFiles["/w/d.txt"] = [1];
        _ops.PollsBeforeEnd = 1000; // nothing ends in the first run
        using var cts = new CancellationTokenSource();
        var firstA = "";
        var first = Runner();
        var progress = new SyncProgress(p =>
        {
            if (p.Job == "D" && p.Status == BatchJobStatus.Pending) cts.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(def, progress, cts.Token));
        firstA = _ops.Submitted.Single(s => s.Job.Name == "A").Id;
        Assert.True(File.Exists(def.SourcePath + ".state.json"));

        // A completes meanwhile; B, C, D are still queued with the ids of the first run.
        _ops.PollsBeforeEnd = 1;
        var report = await Runner(resume: true).RunAsync(def, null, CancellationToken.None);

        Assert.True(report.Succeeded);
        Assert.Equal(4, _ops.Submitted.Count);
        Assert.Equal(firstA, report["A"].JobId);

        // A third run with -Resume submits nothing at all.
        var again = await Runner(resume: true).RunAsync(def, null, CancellationToken.None);
        Assert.True(again.Succeeded);
        Assert.Equal(4, _ops.Submitted.Count);
    }

    [Fact]
    public async Task Resume_reruns_failed_and_skipped_jobs_only()
    {
        var def = Diamond();
        _ops.RemoteFiles["/w/d.txt"] = [1];
        _ops.Outcome = (name, _) => name == "B" ? ("FAILED", 1) : ("COMPLETED", 0);
        await Runner().RunAsync(def, null, CancellationToken.None);

        _ops.Outcome = (_, _) => ("COMPLETED", 0);
        var report = await Runner(resume: true).RunAsync(def, null, CancellationToken.None);

        Assert.True(report.Succeeded);
        Assert.Equal(1, _ops.SubmitCount("A"));
        Assert.Equal(1, _ops.SubmitCount("C"));
        Assert.Equal(2, _ops.SubmitCount("B"));
        Assert.Equal(2, _ops.SubmitCount("D"));
        Assert.Equal($"afterok:{report["B"].JobId}", _ops.Submitted.Last().Job.Dependency);
    }

    [Fact]
    public void Plan_lists_jobs_in_dependency_order_with_directives()
    {
        var def = BatchFile.Parse("""
            system: cluster
            defaults: {workingDirectory: /w}
            jobs:
              D: {script: x, dependsOn: [B, C]}
              C: {script: x, dependsOn: [A], resources: {nodes: 1}}
              B: {script: x, dependsOn: [A]}
              A: {script: x}
            """);

        var plan = new BatchRunner(_ops).Plan(def);

        Assert.Equal(["A", "C", "B", "D"], plan.Steps.Select(s => s.Job));
        Assert.Equal(["#SBATCH --nodes=1"], plan.Steps[1].Directives);
        Assert.Contains("4. D after B, C", plan.ToString());
        Assert.Null(plan.StateFile);
    }

    [Fact]
    public async Task Report_has_json_and_table_forms()
    {
        var def = Diamond();
        _ops.RemoteFiles["/w/d.txt"] = [1];
        var report = await Runner().RunAsync(def, null, CancellationToken.None);

        var table = report.ToTable().Split('\n');
        Assert.StartsWith("JOB", table[0]);
        Assert.Contains("ELAPSED", table[0]);
        Assert.Contains(report["D"].JobId!, table[4]);
        Assert.Contains("COMPLETED", table[4]);
        Assert.Contains("d.txt", table[4]);
        var back = BatchReport.FromJson(report.ToJson());
        Assert.Equal(report.Jobs.Select(j => (j.Name, j.JobId, j.Status)), back.Jobs.Select(j => (j.Name, j.JobId, j.Status)));
        Assert.Contains("\"status\": \"completed\"", report.ToJson());
    }

    private sealed class SyncProgress(Action<BatchProgress> action) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => action(value);
    }
}
