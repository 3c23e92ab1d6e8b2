using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.DataTransfer.Client;

public sealed class TransferJobWaiterTests
{
    /// <summary>A clock whose timers fire at once, moving the clock forward by their delay; it records the delays.</summary>
    private sealed class JumpingClock : TimeProvider
    {
        private long _ticks = TimeSpan.FromDays(1).Ticks;
        public List<TimeSpan> Delays { get; } = [];
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Timer(this, callback, state, dueTime);

        private sealed class Timer : ITimer
        {
            private readonly JumpingClock _clock;
            private readonly TimerCallback _callback;
            private readonly object? _state;

            public Timer(JumpingClock clock, TimerCallback callback, object? state, TimeSpan dueTime)
            {
                (_clock, _callback, _state) = (clock, callback, state);
                Change(dueTime, Timeout.InfiniteTimeSpan);
            }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                lock (_clock.Delays) _clock.Delays.Add(dueTime);
                Interlocked.Add(ref _clock._ticks, dueTime.Ticks);
                ThreadPool.QueueUserWorkItem(_ => _callback(_state));
                return true;
            }

            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Polls_on_the_backoff_from_the_shortest_to_the_largest_delay()
    {
        var clock = new JumpingClock();
        var operations = new FakeStagingOperations { RunningPolls = 200 };
        var options = new FileTransferOptions { JobPollInterval = TimeSpan.FromMilliseconds(500), JobPollMaxInterval = TimeSpan.FromSeconds(3) };

        var job = await new TransferJobWaiter(operations, options, clock).WaitFinalAsync("fake", "1", CancellationToken.None);

        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(201, operations.JobPolls);
        Assert.Equal(200, clock.Delays.Count);
        double[] expected = [500, 750, 1125, 1687.5, 2531.25, 3000, 3000];
        for (var i = 0; i < expected.Length; i++)
            Assert.InRange(clock.Delays[i].TotalMilliseconds, expected[i] - 1, expected[i] + 1); // timers take whole milliseconds
        Assert.All(clock.Delays.Skip(5), d => Assert.Equal(TimeSpan.FromSeconds(3), d));
    }
}
