using Firecrest.Core.Batch;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Core.Tests.Batch;

public sealed class InMemoryBatchRunStoreTests
{
    private static readonly BatchDefinition OneJob = BatchFile.Parse("system: cluster\ndefaults: {workingDirectory: /w}\njobs:\n  A:\n    script: echo a\n");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A run that ends at once (the runner polls on the real clock every millisecond).</summary>
    private async Task<BatchRun> FinishedRunAsync(string owner)
    {
        var runner = new BatchRunner(new FakeBatchOperations(), new BatchRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxPollInterval = TimeSpan.FromMilliseconds(1) });
        var run = BatchRun.Start(owner, runner, OneJob, _clock);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    /// <summary>A run that never ends: its runner waits on a clock nobody advances.</summary>
    private static BatchRun RunningRun(string owner)
    {
        var runner = new BatchRunner(new FakeBatchOperations { PollsBeforeEnd = int.MaxValue }, new BatchRunnerOptions { TimeProvider = new FakeTimeProvider() });
        return BatchRun.Start(owner, runner, OneJob, TimeProvider.System);
    }

    [Fact]
    public async Task Another_user_gets_nothing_as_for_an_unknown_id()
    {
        var store = new InMemoryBatchRunStore(_clock);
        var run = RunningRun("alice");
        await store.AddAsync(run);
        Assert.Equal(run.RunId, (await store.GetAsync("alice", run.RunId))!.RunId);
        Assert.Null(await store.GetAsync("bob", run.RunId));
        Assert.Null(await store.GetAsync("alice", "no-such-run"));
    }

    [Fact]
    public async Task A_finished_run_is_evicted_once_the_keep_time_has_passed_on_the_clock()
    {
        var store = new InMemoryBatchRunStore(_clock, new BatchRunStoreOptions { KeepFinished = TimeSpan.FromMinutes(10) });
        var run = await FinishedRunAsync("alice");
        await store.AddAsync(run);
        Assert.Equal(_clock.GetUtcNow(), run.FinishedAt);
        var status = await store.GetAsync("alice", run.RunId);
        Assert.True(status!.Finished);
        Assert.True(status.Succeeded);
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.NotNull(await store.GetAsync("alice", run.RunId));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await store.GetAsync("alice", run.RunId));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_running_run_is_never_evicted()
    {
        var store = new InMemoryBatchRunStore(_clock, new BatchRunStoreOptions { KeepFinished = TimeSpan.FromMinutes(1) });
        var run = RunningRun("alice");
        await store.AddAsync(run);
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.False((await store.GetAsync("alice", run.RunId))!.Finished);
    }

    [Fact]
    public async Task A_user_may_have_only_so_many_runs_in_progress()
    {
        var store = new InMemoryBatchRunStore(_clock, new BatchRunStoreOptions { MaxRunsPerUser = 2 });
        await store.AddAsync(RunningRun("alice"));
        await store.AddAsync(RunningRun("alice"));
        var e = await Assert.ThrowsAsync<HpcException>(() => store.AddAsync(RunningRun("alice")));
        Assert.Equal(HpcErrorKind.RateLimited, e.Kind);
        Assert.Equal(HpcErrorKind.RateLimited, (await Assert.ThrowsAsync<HpcException>(() => store.EnsureRoomAsync("alice"))).Kind);
        await store.EnsureRoomAsync("bob");
        await store.AddAsync(RunningRun("bob"));
        await store.AddAsync(await FinishedRunAsync("alice"));
        Assert.Equal(4, store.Count);
    }

    [Fact]
    public async Task When_full_the_oldest_finished_run_makes_room_and_running_runs_are_kept()
    {
        var store = new InMemoryBatchRunStore(_clock, new BatchRunStoreOptions { MaxRuns = 2 });
        var finished = await FinishedRunAsync("alice");
        var running = RunningRun("bob");
        await store.AddAsync(finished);
        await store.AddAsync(running);
        var third = RunningRun("carol");
        await store.AddAsync(third);
        Assert.Null(await store.GetAsync("alice", finished.RunId));
        Assert.NotNull(await store.GetAsync("bob", running.RunId));
        var e = await Assert.ThrowsAsync<HpcException>(() => store.AddAsync(RunningRun("dave")));
        Assert.Equal(HpcErrorKind.RateLimited, e.Kind);
        Assert.Equal(HpcErrorKind.RateLimited, (await Assert.ThrowsAsync<HpcException>(() => store.EnsureRoomAsync("dave"))).Kind);
    }

    [Fact]
    public async Task Cancelling_a_run_cancels_its_submitted_job_and_reports_it_finished_and_another_user_cannot_cancel_it()
    {
        var store = new InMemoryBatchRunStore(_clock);
        var ops = new FakeBatchOperations { PollsBeforeEnd = int.MaxValue };
        var run = BatchRun.Start("alice", new BatchRunner(ops, new BatchRunnerOptions { TimeProvider = new FakeTimeProvider() }), OneJob, TimeProvider.System);
        await store.AddAsync(run);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ops.Submitted.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var jobId = Assert.Single(ops.Submitted).Id;
        Assert.False(await store.CancelAsync("bob", run.RunId));
        Assert.False(await store.CancelAsync("alice", "no-such-run"));
        Assert.True(await store.CancelAsync("alice", run.RunId));
        var status = (await store.GetAsync("alice", run.RunId))!;
        Assert.True(status.Finished);
        Assert.False(status.Succeeded);
        Assert.Equal(BatchRun.CancelledError, status.Error);
        Assert.Equal(BatchJobStatus.Failed, status.Report!["A"].Status);
        Assert.Equal([jobId], ops.Cancelled);
    }
}
