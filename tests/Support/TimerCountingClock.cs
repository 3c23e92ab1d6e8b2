using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Tests.Support;

/// <summary>
/// A fake clock that counts the timers made on it, or only those made to fire after <c>counted</c> when it is given. A test
/// that moves the clock once a timer exists knows the code under test is waiting on it, so the move cannot land on work
/// still under way (where it would fire that work's timeouts instead).
/// </summary>
public sealed class TimerCountingClock(TimeSpan? counted = null) : FakeTimeProvider
{
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (counted is null || dueTime == counted) Interlocked.Increment(ref _timers);
        return timer;
    }
}
