using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Core.Tests.Batch;
using Firecrest.Server.SharedState;
using Firecrest.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>The Redis batch-run store against a real redis-server: two stores on two connections are two replicas.</summary>
[Trait("Category", "Cluster")] // needs redis-server from deploy/testenv/install.sh
public sealed class RedisBatchRunStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly BatchDefinition OneJob = BatchFile.Parse("system: cluster\ndefaults: {workingDirectory: /w}\njobs:\n  A:\n    script: echo a\n");
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(200);

    private RedisBatchRunStore Store(BatchRunStoreOptions? options = null, TimeSpan? lease = null) =>
        new(redis.Connect(), options, NullLogger<RedisBatchRunStore>.Instance, Beat, lease ?? TimeSpan.FromSeconds(30));

    private static string Owner() => "u" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A run whose job never ends (its runner waits on a clock nobody advances), and the operations it uses.</summary>
    private static (BatchRun Run, FakeBatchOperations Ops) RunningRun(string owner)
    {
        var ops = new FakeBatchOperations { PollsBeforeEnd = int.MaxValue };
        var runner = new BatchRunner(ops, new BatchRunnerOptions { TimeProvider = new FakeTimeProvider() });
        return (BatchRun.Start(owner, runner, OneJob, TimeProvider.System), ops);
    }

    private static async Task<BatchRunStatus> UntilAsync(Func<Task<BatchRunStatus?>> read, Func<BatchRunStatus, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await read();
            Assert.NotNull(status);
            if (done(status!)) return status!;
            Assert.True(DateTime.UtcNow < deadline, "the run did not get there within 60 s");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_run_started_on_one_replica_is_read_on_the_other_by_its_owner_only()
    {
        await using var a = Store();
        await using var b = Store();
        var owner = Owner();
        var (run, _) = RunningRun(owner);
        await a.AddAsync(run);
        var status = await UntilAsync(() => b.GetAsync(owner, run.RunId), s => s.Report?.Jobs.Single().JobId is not null);
        Assert.False(status.Finished);
        Assert.Contains(status.Report!.Jobs.Single().Status, new[] { BatchJobStatus.Pending, BatchJobStatus.Running });
        Assert.Null(await b.GetAsync("someone-else", run.RunId));
        Assert.Null(await b.GetAsync(owner, "no-such-run"));
        Assert.False(await b.CancelAsync("someone-else", run.RunId));
        await run.CancelAsync();
    }

    [Fact]
    public async Task A_cancel_asked_on_the_other_replica_cancels_the_run_where_it_runs_and_its_job_on_the_scheduler()
    {
        await using var a = Store();
        await using var b = Store();
        var owner = Owner();
        var (run, ops) = RunningRun(owner);
        await a.AddAsync(run);
        var jobId = (await UntilAsync(() => b.GetAsync(owner, run.RunId), s => s.Report?.Jobs.Single().JobId is not null)).Report!.Jobs.Single().JobId!;
        Assert.True(await b.CancelAsync(owner, run.RunId));
        var ended = await UntilAsync(() => b.GetAsync(owner, run.RunId), s => s.Finished);
        Assert.Equal(BatchRun.CancelledError, ended.Error);
        Assert.False(ended.Succeeded);
        Assert.Equal(BatchJobStatus.Failed, ended.Report!.Jobs.Single().Status);
        Assert.Contains(jobId, ops.Cancelled);
    }

    [Fact]
    public async Task A_run_whose_replica_died_is_reported_orphaned_once_its_lease_ran_out_and_frees_its_place()
    {
        var options = new BatchRunStoreOptions { MaxRunsPerUser = 1 };
        var a = Store(options, lease: TimeSpan.FromSeconds(2));
        await using var b = Store(options, lease: TimeSpan.FromSeconds(2));
        var owner = Owner();
        var (run, _) = RunningRun(owner);
        await a.AddAsync(run);
        var limited = await Assert.ThrowsAsync<HpcException>(() => b.EnsureRoomAsync(owner));
        Assert.Equal(HpcErrorKind.RateLimited, limited.Kind);
        await a.DisposeAsync(); // the replica stops writing
        var orphaned = await UntilAsync(() => b.GetAsync(owner, run.RunId), s => s.Finished);
        Assert.Equal(RedisBatchRunStore.OrphanedError, orphaned.Error);
        await b.EnsureRoomAsync(owner);
        await run.CancelAsync();
    }

    [Fact]
    public async Task Redis_down_is_a_503_naming_batch_runs()
    {
        using var down = await RedisServerProcess.StartAsync();
        var connection = new RedisConnection(down.ConnectionString);
        await using var store = new RedisBatchRunStore(connection, null, NullLogger<RedisBatchRunStore>.Instance);
        Assert.Null(await store.GetAsync("alice", "nothing"));
        down.Kill();
        var e = await Assert.ThrowsAsync<HpcException>(() => store.GetAsync("alice", "nothing").WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Contains("batch runs", e.Message);
        await connection.DisposeAsync();
    }
}
