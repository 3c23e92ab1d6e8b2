using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;
using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Core.Tests.Jobs;

public sealed class JobWaiterTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly FakeHpc _hpc = new();
    private readonly TimerCountingClock _clock = new(); // each sleep of the wait makes one timer
    private readonly List<JobWaitProgress> _reports = [];

    private async Task<string> SubmitAsync() =>
        await _hpc.SubmitJobAsync("alps", new JobDescription { Name = "w", WorkingDirectory = "/home/u", Script = "#!/bin/bash\n" });

    private JobWaitOptions Options(TimeSpan? timeout = null, TimeSpan? grace = null) => new()
    {
        Poll = new Backoff(Second, 4 * Second, factor: 2),
        Timeout = timeout,
        NotListedGrace = grace ?? 10 * Second,
        Progress = new Recorder(_reports),
    };

    /// <summary>
    /// Once the wait sleeps after poll <paramref name="expectedPolls"/> − 1, moves the fake clock forward and lets the
    /// wait run until poll <paramref name="expectedPolls"/> (the fake operations answer at once).
    /// </summary>
    private void Advance(TimeSpan by, int expectedPolls)
    {
        Assert.True(_clock.WaitForTimers(expectedPolls - 1), "the wait did not sleep");
        _clock.Advance(by);
        Assert.True(SpinWait.SpinUntil(() => _hpc.JobPolls >= expectedPolls, TimeSpan.FromSeconds(10)), $"poll {expectedPolls} did not happen");
    }

    [Fact]
    public async Task Polls_on_the_backoff_schedule_restarting_it_when_the_state_changes()
    {
        var id = await SubmitAsync();
        foreach (var s in new[] { "PENDING", "PENDING", "PENDING", "RUNNING", "RUNNING", "COMPLETED" }) _hpc.NextStates.Enqueue(s);
        var wait = new JobWaiter(_hpc, _clock).WaitAsync("alps", id, Options());
        Assert.Equal(1, _hpc.JobPolls);
        Advance(Second - TimeSpan.FromTicks(1), 1);
        Assert.Equal(1, _hpc.JobPolls); // not before the first delay
        Advance(TimeSpan.FromTicks(1), 2); // t=1: delays 1, 2, 4 while PENDING
        Advance(2 * Second, 3);
        Advance(4 * Second, 4); // t=7: RUNNING, the schedule restarts
        Advance(Second, 5);
        Assert.False(wait.IsCompleted);
        Advance(2 * Second, 6); // t=10: COMPLETED
        var result = await wait;
        Assert.False(result.TimedOut);
        Assert.Equal(JobState.Completed, result.Job!.State);
        Assert.Equal(10 * Second, result.Elapsed);
        Assert.Equal([0, 1, 3, 7, 8, 10], _reports.Select(r => r.Elapsed.TotalSeconds));
        Assert.Equal([true, false, false, true, false, true], _reports.Select(r => r.StateChanged));
        Assert.Equal("RUNNING", _reports[3].State);
    }

    [Fact]
    public async Task Not_found_within_the_grace_window_is_not_listed_yet()
    {
        var id = await SubmitAsync();
        _hpc.UnlistedPolls = 2;
        _hpc.NextStates.Enqueue("COMPLETED");
        var wait = new JobWaiter(_hpc, _clock).WaitAsync("alps", id, Options());
        Advance(Second, 2);
        Advance(2 * Second, 3);
        var result = await wait;
        Assert.Equal(JobState.Completed, result.Job!.State);
        Assert.Equal(["SUBMITTED", "SUBMITTED", "COMPLETED"], _reports.Select(r => r.State));
        Assert.Null(_reports[0].Job);
    }

    [Fact]
    public async Task Not_found_after_the_grace_window_is_a_real_not_found()
    {
        var id = await SubmitAsync();
        _hpc.UnlistedPolls = 100;
        var wait = new JobWaiter(_hpc, _clock).WaitAsync("alps", id, Options(grace: 5 * Second));
        Advance(Second, 2);
        Advance(2 * Second, 3); // t=3
        Assert.False(wait.IsCompleted);
        Advance(4 * Second, 4); // t=7, past the grace
        var e = await Assert.ThrowsAsync<HpcException>(() => wait);
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Timeout_returns_the_last_known_job_after_a_last_poll_at_the_deadline()
    {
        var id = await SubmitAsync();
        _hpc.NextStates.Enqueue("RUNNING");
        var wait = new JobWaiter(_hpc, _clock).WaitAsync("alps", id, Options(timeout: 2.5 * Second));
        Advance(Second, 2);
        Advance(1.5 * Second, 3); // the 2 s delay is cut to the 1.5 s left
        var result = await wait;
        Assert.True(result.TimedOut);
        Assert.Equal("RUNNING", result.Job!.Status.State);
        Assert.Equal(2.5 * Second, result.Elapsed);
        var error = result.TimeoutError("alps");
        Assert.Equal(HpcErrorKind.Timeout, error.Kind);
        Assert.Contains($"Job {id} on alps did not end within", error.Message);
        Assert.Contains("still RUNNING", error.Message);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_at_once()
    {
        var id = await SubmitAsync();
        using var cts = new CancellationTokenSource();
        var wait = new JobWaiter(_hpc, _clock).WaitAsync("alps", id, Options(), cts.Token);
        Assert.False(wait.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(1, _hpc.JobPolls);
        Assert.DoesNotContain(_hpc.Calls, c => c.StartsWith("cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Until_ends_the_wait_at_another_condition()
    {
        var id = await SubmitAsync();
        var result = await new JobWaiter(_hpc, _clock).WaitAsync("alps", id, new JobWaitOptions { Until = _ => true });
        Assert.Equal("PENDING", result.Job!.Status.State);
        Assert.Equal(1, _hpc.JobPolls);
    }

    private sealed class Recorder(List<JobWaitProgress> list) : IProgress<JobWaitProgress>
    {
        public void Report(JobWaitProgress value)
        {
            lock (list) list.Add(value);
        }
    }
}
