using Renci.SshNet;

namespace Firecrest.Core.Ssh;

/// <summary>
/// One pooled SSH connection of a user: the client (and the jump-host client behind it), a semaphore that caps the
/// concurrent channels, and the bookkeeping for idle pruning. A retired connection is never handed out again.
/// </summary>
internal sealed class PooledConnection : IDisposable
{
    private readonly object _gate = new();
    private int _active;
    private int _inFlight;
    private int _peakInFlight;
    private bool _retired;
    private bool _disposed;
    private DateTimeOffset _lastUsed;
    private readonly Stack<ShellSession> _idleShells = new();
    private int _openShells;
    private int _execChannels;
    private int _peakOpenChannels;

    public PooledConnection(string username, SshClient client, SshClient? proxy, ForwardedPortLocal? forward, int maxChannels, DateTimeOffset now)
    {
        Username = username;
        Client = client;
        Proxy = proxy;
        Forward = forward;
        Channels = new SemaphoreSlim(maxChannels, maxChannels);
        MaxChannels = maxChannels;
        _lastUsed = now;
    }

    /// <summary>Channels open at once at most: running commands and idle reused shells together.</summary>
    public int MaxChannels { get; }

    /// <summary>Set when the server would not run a reused shell: commands go as exec requests from then on.</summary>
    public volatile bool ShellsUnavailable;

    public string Username { get; }

    public SshClient Client { get; }

    public SshClient? Proxy { get; }

    public ForwardedPortLocal? Forward { get; }

    /// <summary>Caps the channels open at once; callers beyond the cap wait (queue) here.</summary>
    public SemaphoreSlim Channels { get; }

    /// <summary>Set when SSH.NET reported an error on the session.</summary>
    public volatile bool Broken;

    public bool IsAlive
    {
        get
        {
            lock (_gate)
                if (_retired || _disposed) return false;
            return !Broken && Client.IsConnected && (Proxy is null || Proxy.IsConnected);
        }
    }

    public bool IsRetired
    {
        get { lock (_gate) return _retired; }
    }

    public DateTimeOffset LastUsed
    {
        get { lock (_gate) return _lastUsed; }
    }

    /// <summary>Highest number of commands that ran at once (for tests and diagnostics).</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Channels running a command now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Marks one more user of this connection; false when it was retired meanwhile.</summary>
    public bool TryAcquire(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_retired) return false;
            _active++;
            _lastUsed = now;
            return true;
        }
    }

    public void Release(DateTimeOffset now)
    {
        lock (_gate)
        {
            _active--;
            _lastUsed = now;
        }
    }

    public void EnterChannel()
    {
        var n = Interlocked.Increment(ref _inFlight);
        int peak;
        while (n > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, n, peak) != peak)
        {
        }
    }

    public void ExitChannel() => Interlocked.Decrement(ref _inFlight);

    /// <summary>
    /// An idle reused shell, or null when there is none (the caller then opens one: it holds a slot of
    /// <see cref="Channels"/>, so the channels stay within <see cref="MaxChannels"/>; see <see cref="ShellOpening"/>).
    /// </summary>
    public ShellSession? TakeIdleShell()
    {
        while (true)
        {
            ShellSession? shell;
            lock (_gate)
            {
                if (!_idleShells.TryPop(out shell)) return null;
                if (shell.IsOpen) return shell;
                _openShells--;
            }
            shell.Dispose();
        }
    }

    /// <summary>Counts a shell about to be opened.</summary>
    public void ShellOpening()
    {
        lock (_gate)
        {
            _openShells++;
            NotePeak();
        }
    }

    /// <summary>Gives a shell back after a command that ended normally; a closed one is counted out.</summary>
    public void ReturnShell(ShellSession shell)
    {
        lock (_gate)
        {
            if (!_disposed && shell.IsOpen)
            {
                _idleShells.Push(shell);
                return;
            }
            _openShells--;
        }
        shell.Dispose();
    }

    /// <summary>Counts out a shell that failed to open or was closed after a failure.</summary>
    public void ShellClosed()
    {
        lock (_gate) _openShells--;
    }

    /// <summary>
    /// Counts an exec channel about to be opened by a caller holding a slot of <see cref="Channels"/>, and closes an idle
    /// shell first when the open channels would otherwise pass <see cref="MaxChannels"/> (the server refuses channels
    /// beyond its MaxSessions).
    /// </summary>
    public void ExecOpening()
    {
        ShellSession? surplus = null;
        lock (_gate)
        {
            if (_openShells + _execChannels + 1 > MaxChannels && _idleShells.TryPop(out surplus)) _openShells--;
            _execChannels++;
            NotePeak();
        }
        surplus?.Dispose();
    }

    /// <summary>Counts out an exec channel opened with <see cref="ExecOpening"/>.</summary>
    public void ExecClosed()
    {
        lock (_gate) _execChannels--;
    }

    /// <summary>Most channels open at once (tests and diagnostics).</summary>
    public int PeakOpenChannels
    {
        get { lock (_gate) return _peakOpenChannels; }
    }

    private void NotePeak() => _peakOpenChannels = Math.Max(_peakOpenChannels, _openShells + _execChannels);

    /// <summary>Channels open now: exec channels and reused shells, idle or not (tests and diagnostics).</summary>
    public int OpenChannels
    {
        get { lock (_gate) return _openShells + _execChannels; }
    }

    /// <summary>Retires the connection when nobody uses it and it has been idle at least <paramref name="idle"/>.</summary>
    public bool TryRetireIfIdle(DateTimeOffset now, TimeSpan idle)
    {
        lock (_gate)
        {
            if (_retired) return true;
            if (_active > 0 || now - _lastUsed < idle) return false;
            _retired = true;
            return true;
        }
    }

    public void Retire()
    {
        lock (_gate) _retired = true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _retired = true;
        }
        // SSH.NET has no asynchronous disconnect: Dispose sends SSH_MSG_DISCONNECT and closes the socket synchronously.
        Client.Dispose();
        // After the client: their channels went with the connection, so closing them waits for no reply.
        ShellSession[] idle;
        lock (_gate)
        {
            idle = [.. _idleShells];
            _idleShells.Clear();
        }
        foreach (var shell in idle) shell.Dispose();
        if (Forward is not null)
        {
            try { Forward.Stop(); } catch (Exception) { /* the jump host may already be gone */ }
            Forward.Dispose();
        }
        Proxy?.Dispose();
    }
}
