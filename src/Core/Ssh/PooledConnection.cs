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

    public PooledConnection(string username, SshClient client, SshClient? proxy, ForwardedPortLocal? forward, int maxChannels, DateTimeOffset now)
    {
        Username = username;
        Client = client;
        Proxy = proxy;
        Forward = forward;
        Channels = new SemaphoreSlim(maxChannels, maxChannels);
        _lastUsed = now;
    }

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
        if (Forward is not null)
        {
            try { Forward.Stop(); } catch (Exception) { /* the jump host may already be gone */ }
            Forward.Dispose();
        }
        Proxy?.Dispose();
    }
}
