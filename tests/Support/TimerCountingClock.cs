using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Tests.Support;

/// <summary>
/// A fake clock that counts the timers made on it, or only those made to fire after <c>counted</c> when it is given. A test
/// that moves the clock once a timer exists knows the code under test is waiting on it, so the move cannot land on work
/// still under way (where it would fire that work's timeouts instead).
/// </summary>
/// <param name="counted">The due time of the timers to count; null counts every timer.</param>
/// <param name="start">The clock's first reading; FakeTimeProvider's own default (2000-01-01) when null.</param>
public sealed class TimerCountingClock(TimeSpan? counted = null, DateTimeOffset? start = null)
    : FakeTimeProvider(start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    /// <summary>Waits (up to 30 s of wall time) until <paramref name="count"/> timers have been counted; false if they never were.</summary>
    public bool WaitForTimers(int count = 1) => SpinWait.SpinUntil(() => Timers >= count, TimeSpan.FromSeconds(30));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (counted is null || dueTime == counted) Interlocked.Increment(ref _timers);
        return timer;
    }
}
