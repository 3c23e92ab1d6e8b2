using Firecrest.Bench;

namespace Firecrest.Core.Tests.Bench;

/// <summary>What counts in a load run's window, and what happens to the operations still running when it closes.</summary>
// Windows of 2 s: each worker must start (and worker 1 fail once) inside the window, however slow the machine.
[Collection(nameof(LoadRunnerMeterTests))]
public class LoadRunnerWindowTests
{
    [Fact]
    public async Task Operations_still_running_when_the_window_closes_are_cancelled_and_count_neither_way()
    {
        var started = 0;
        var cancelled = 0;
        var cancelledAtClose = -1;
        var result = await LoadRunner.RunAsync(3, TimeSpan.Zero, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan, async (_, token) =>
        {
            Interlocked.Increment(ref started);
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { Interlocked.Increment(ref cancelled); throw; }
            return null;
        }, null, CancellationToken.None, atWindowClose: () => cancelledAtClose = Volatile.Read(ref cancelled))
            .WaitAsync(TimeSpan.FromSeconds(60)); // without the cancellation it never ends

        Assert.Equal(3, started);
        Assert.Equal(0, cancelledAtClose); // the reading at the close comes before the cancellation
        Assert.Equal(3, cancelled);
        Assert.Equal((0L, 0L), (result.Completed, result.Errors));
        Assert.Empty(result.ErrorSamples);
    }

    [Fact]
    public async Task Told_to_let_them_finish_it_waits_for_the_operations_in_flight_without_cancelling_them()
    {
        var started = 0;
        var cancelled = 0;
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await LoadRunner.RunAsync(2, TimeSpan.Zero, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan, async (_, token) =>
        {
            Interlocked.Increment(ref started);
            try { await closed.Task.WaitAsync(token); }
            catch (OperationCanceledException) { Interlocked.Increment(ref cancelled); throw; }
            return null;
        }, null, CancellationToken.None, atWindowClose: closed.SetResult, letRunningFinish: true).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.InRange(started, 1, 2);
        Assert.Equal(0, cancelled);
        // They ended after the window: neither a success nor an error of it.
        Assert.Equal((0L, 0L), (result.Completed, result.Errors));
    }

    [Fact]
    public async Task Operations_that_end_inside_the_window_count_and_failures_are_sampled()
    {
        var result = await LoadRunner.RunAsync(2, TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), async (worker, token) =>
        {
            await Task.Delay(5, token);
            return worker == 0 ? null : "refused";
        }, null, CancellationToken.None);

        Assert.True(result.Completed > 0);
        Assert.True(result.Errors > 0);
        Assert.Equal(result.Errors, result.ErrorSamples["refused"]);
        Assert.Equal(result.Completed, result.Latency.Count);
    }
}
