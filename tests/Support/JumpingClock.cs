namespace Firecrest.Tests.Support;

/// <summary>
/// A clock whose timers fire at once, moving the clock forward by their delay: a wait on it runs through its whole
/// schedule without sleeping, and the delays it asked for are recorded.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    /// <summary>Every timer's delay, in order.</summary>
    public List<TimeSpan> Delays { get; } = [];

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <inheritdoc/>
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
