namespace Firecrest.Core.DataTransfer.Client;

/// <summary>
/// Counts bytes of a transfer from several parts at once and reports <see cref="TransferProgress"/>: the rate is
/// the bytes moved in this run over the elapsed time, the time left is the rest at that rate. Reports are
/// throttled, except phase changes and the final one.
/// </summary>
public sealed class ProgressMeter
{
    private readonly IProgress<TransferProgress>? _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly long _startTimestamp;
    private readonly long _alreadyDone;
    private readonly object _lock = new();
    private long _done;
    private long _lastReport = long.MinValue;
    private TransferPhase _phase;

    /// <summary>Creates a meter for <paramref name="totalBytes"/> of which <paramref name="alreadyDone"/> were moved by an earlier run.</summary>
    public ProgressMeter(long totalBytes, long alreadyDone, IProgress<TransferProgress>? sink, TimeProvider? time = null, TimeSpan? interval = null,
        TransferPhase phase = TransferPhase.Preparing)
    {
        TotalBytes = totalBytes;
        _alreadyDone = alreadyDone;
        _done = alreadyDone;
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _interval = interval ?? TimeSpan.FromMilliseconds(200);
        _startTimestamp = _time.GetTimestamp();
        _phase = phase;
    }

    /// <summary>Size of the file.</summary>
    public long TotalBytes { get; }

    /// <summary>Bytes done so far.</summary>
    public long BytesDone
    {
        get { lock (_lock) return _done; }
    }

    /// <summary>Adds (or, for a failed attempt, takes back) bytes and reports when the interval has passed.</summary>
    public void Add(long bytes)
    {
        TransferProgress? report = null;
        lock (_lock)
        {
            _done += bytes;
            var now = _time.GetTimestamp();
            if (_lastReport == long.MinValue || _time.GetElapsedTime(_lastReport, now) >= _interval)
            {
                _lastReport = now;
                report = SnapshotLocked(now);
            }
        }
        if (report is not null) _sink?.Report(report);
    }

    /// <summary>Moves to <paramref name="phase"/> and reports at once.</summary>
    public void Enter(TransferPhase phase)
    {
        TransferProgress report;
        lock (_lock)
        {
            _phase = phase;
            var now = _time.GetTimestamp();
            _lastReport = now;
            report = SnapshotLocked(now);
        }
        _sink?.Report(report);
    }

    public TransferProgress Snapshot()
    {
        lock (_lock) return SnapshotLocked(_time.GetTimestamp());
    }

    /// <summary>Rate and time left from bytes moved in this run, the elapsed time and the bytes still to move.</summary>
    public static (double BytesPerSecond, TimeSpan? Remaining) Estimate(long movedThisRun, TimeSpan elapsed, long bytesLeft)
    {
        if (movedThisRun <= 0 || elapsed <= TimeSpan.Zero) return (0, bytesLeft <= 0 ? TimeSpan.Zero : null);
        var rate = movedThisRun / elapsed.TotalSeconds;
        return (rate, TimeSpan.FromSeconds(Math.Max(0, bytesLeft) / rate));
    }

    private TransferProgress SnapshotLocked(long now)
    {
        var (rate, left) = Estimate(_done - _alreadyDone, _time.GetElapsedTime(_startTimestamp, now), TotalBytes - _done);
        return new TransferProgress(_done, TotalBytes, rate, left, _phase);
    }
}
