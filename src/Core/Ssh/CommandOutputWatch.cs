using Renci.SshNet;

namespace Firecrest.Core.Ssh;

/// <summary>
/// Collects a running command's output while it runs: every 25 ms, one timer shared by all the commands in flight moves
/// what SSH.NET has received into the command's capped buffers, and cancels a command whose stdout or stderr passed its
/// limit. SSH.NET keeps a channel's data in memory until it is read, so unread output of a command printing without end
/// would grow without bound. A timer per command woke a thread 40 times a second for each of them: under 500 clients its
/// completions were 7 % of the server's CPU in a profile.
/// </summary>
internal sealed class CommandOutputWatch : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);
    private static readonly object RunningLock = new();
    private static readonly List<CommandOutputWatch> Running = [];
    private static readonly Timer Ticker = new(_ => Tick(), null, Timeout.Infinite, Timeout.Infinite);
    private static int _ticking;
    // Used by one tick at a time (_ticking).
    private static readonly List<CommandOutputWatch> Snapshot = [];

    private readonly object _lock = new();
    private readonly SshCommand _command;
    private readonly PooledByteBuffer _stdout;
    private readonly PooledByteBuffer _stderr;
    private readonly long _limit;
    private readonly CancellationTokenSource _run;
    private bool _finished;
    private volatile bool _tooLarge;

    private CommandOutputWatch(SshCommand command, PooledByteBuffer stdout, PooledByteBuffer stderr, long limit, CancellationTokenSource run)
    {
        (_command, _stdout, _stderr, _limit, _run) = (command, stdout, stderr, limit, run);
    }

    /// <summary>True once the output passed the limit; the command's <see cref="CancellationTokenSource"/> was cancelled then.</summary>
    public bool TooLarge => _tooLarge;

    /// <summary>
    /// Starts collecting <paramref name="command"/>'s output into <paramref name="stdout"/> and <paramref name="stderr"/>;
    /// <paramref name="run"/> is cancelled when either passes <paramref name="limit"/> bytes, and must outlive the watch.
    /// </summary>
    public static CommandOutputWatch Start(SshCommand command, PooledByteBuffer stdout, PooledByteBuffer stderr, long limit, CancellationTokenSource run)
    {
        var watch = new CommandOutputWatch(command, stdout, stderr, limit, run);
        lock (RunningLock)
        {
            Running.Add(watch);
            if (Running.Count == 1) Ticker.Change(Interval, Interval);
        }
        return watch;
    }

    /// <summary>
    /// Stops the watch and collects what is left, once the command ended; after it no tick touches the buffers.
    /// False when the output passed the limit.
    /// </summary>
    public bool Finish()
    {
        lock (_lock)
        {
            if (!_finished)
            {
                _finished = true;
                if (!_tooLarge && !DrainBoth()) _tooLarge = true;
            }
        }
        lock (RunningLock)
        {
            if (Running.Remove(this) && Running.Count == 0) Ticker.Change(Timeout.Infinite, Timeout.Infinite);
        }
        return !_tooLarge;
    }

    /// <summary>Same as <see cref="Finish"/>, for a command abandoned on an exception.</summary>
    public void Dispose() => Finish();

    private static void Tick()
    {
        // A tick that outlasts the interval is not overlapped by the next one.
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return;
        try
        {
            lock (RunningLock) Snapshot.AddRange(Running);
            foreach (var watch in Snapshot) watch.Collect();
        }
        finally
        {
            Snapshot.Clear();
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void Collect()
    {
        lock (_lock)
        {
            if (_finished || _tooLarge || DrainBoth()) return;
            _tooLarge = true;
            // Under the lock, so the command's Finish (which comes before its CancellationTokenSource is disposed) waits.
            _run.Cancel();
        }
    }

    private bool DrainBoth() => Drain(_command.OutputStream, _stdout, _limit) & Drain(_command.ExtendedOutputStream, _stderr, _limit);

    /// <summary>Moves the bytes already buffered by SSH.NET into <paramref name="sink"/>; never blocks. False when over the limit.</summary>
    private static bool Drain(Stream source, PooledByteBuffer sink, long limit)
    {
        Span<byte> buffer = stackalloc byte[16384];
        while (source.Length > 0)
        {
            var n = source.Read(buffer);
            if (n == 0) break;
            if ((long)sink.Length + n > limit) return false;
            sink.Write(buffer[..n]);
        }
        return true;
    }
}
