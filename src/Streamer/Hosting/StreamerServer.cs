using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Streamer;

/// <summary>Exit codes of the streamer program (the transfer job's exit code).</summary>
internal static class StreamerExitCodes
{
    public const int Success = 0;
    public const int TransferFailed = 1;
    public const int Usage = 2;
    public const int FileError = 3;
    public const int WaitTimeout = 4;
    public const int NoFreePort = 5;
    public const int Stopped = 143;
}

/// <summary>
/// One transfer's WebSocket server: listens on the first free port of the range, refuses upgrades without the secret
/// (401) or with another (403) and any second client once a transfer runs (409), moves one file, and ends. Gives up
/// after the wait timeout when no client with the secret came. Every event is one line on <c>log</c>, which the
/// transfer job's output collects.
/// </summary>
internal sealed class StreamerServer : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly StreamerServerOptions _options;
    private readonly TextWriter _log;
    private readonly TextWriter? _errors;
    private readonly TimeProvider _time;
    private readonly byte[] _secret;
    private readonly TaskCompletionSource<int> _transfer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpListener? _listener;
    private int _claimed;

    /// <param name="options">What to serve.</param>
    /// <param name="log">Every event, one line each (the job's output log).</param>
    /// <param name="errors">Failures again (the job's error log, which clients quote when the job failed).</param>
    /// <param name="time">Clock of the wait and handshake timeouts.</param>
    public StreamerServer(StreamerServerOptions options, TextWriter log, TextWriter? errors = null, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _errors = errors;
        _time = time ?? TimeProvider.System;
        _secret = Encoding.UTF8.GetBytes(options.Secret);
    }

    /// <summary>The port listened on once <see cref="Start"/> returned.</summary>
    public int Port { get; private set; }

    /// <summary>Binds the first port of the range that is free.</summary>
    /// <exception cref="StreamerException">No port of the range is free, or the host does not resolve.</exception>
    public void Start()
    {
        var address = ResolveHost(_options.Host);
        for (var port = _options.FirstPort; port <= _options.LastPort; port++)
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                listener.Dispose();
                continue;
            }
            _listener = listener;
            Port = port;
            Log($"Streamer listening on {_options.Host}:{port} ({(_options.Mode == StreamerMode.Send ? "send" : "receive")} '{_options.Path}'"
                + (_options.PublicIps.Count > 0 ? $", clients connect to {string.Join(' ', _options.PublicIps)}" : "") + ")");
            return;
        }
        throw new StreamerException(WebSocketCloseStatus.InternalServerError, "OSError",
            $"No free port in {_options.FirstPort}-{_options.LastPort} on {_options.Host}.");
    }

    /// <summary>
    /// Serves until one transfer ended (its exit code), the wait timeout passed without a client that had the secret
    /// (<see cref="StreamerExitCodes.WaitTimeout"/>), or <paramref name="cancellationToken"/> (SIGTERM).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (_listener is null) Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accepting = AcceptLoopAsync(_listener!, stop.Token);
        var timeout = Task.Delay(_options.WaitTimeout, _time, stop.Token);
        await Task.WhenAny(_transfer.Task, timeout).ConfigureAwait(false);
        int code;
        if (_transfer.Task.IsCompleted || Volatile.Read(ref _claimed) == 1)
        {
            code = await _transfer.Task.ConfigureAwait(false);
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            Log("Stopped before a client connected.", error: true);
            code = StreamerExitCodes.Stopped;
        }
        else
        {
            Log($"No client with the secret connected within the wait timeout ({_options.WaitTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s); exiting.", error: true);
            code = StreamerExitCodes.WaitTimeout;
        }
        await stop.CancelAsync().ConfigureAwait(false);
        _listener!.Stop();
        await accepting.ConfigureAwait(false);
        return code;
    }

    public void Dispose()
    {
        _listener?.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        var connections = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(HandleAsync(client, ct));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task HandleAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
            var mine = false;
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
                using var handshakeTimer = _time.CreateTimer(_ => handshake.Cancel(), null, HandshakeTimeout, Timeout.InfiniteTimeSpan);
                var request = await WebSocketUpgrade.ReadRequestAsync(stream, handshake.Token).ConfigureAwait(false);
                if (request is null || !request.IsWebSocketUpgrade)
                {
                    if (request is not null) await WebSocketUpgrade.RefuseAsync(stream, 400, "Bad Request", "A WebSocket upgrade is expected.", handshake.Token).ConfigureAwait(false);
                    return;
                }
                if (request.BearerToken is not { } token)
                {
                    Log($"Refused {peer}: no secret (401).");
                    await WebSocketUpgrade.RefuseAsync(stream, 401, "Unauthorized", "The transfer secret is missing.", handshake.Token).ConfigureAwait(false);
                    return;
                }
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _secret))
                {
                    Log($"Refused {peer}: wrong secret (403).");
                    await WebSocketUpgrade.RefuseAsync(stream, 403, "Forbidden", "The transfer secret is wrong.", handshake.Token).ConfigureAwait(false);
                    return;
                }
                mine = Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;
                if (!mine)
                {
                    Log($"Refused {peer}: a transfer is already running (409).");
                    await WebSocketUpgrade.RefuseAsync(stream, 409, "Conflict", "This streamer serves one transfer, which has started.", handshake.Token).ConfigureAwait(false);
                    return;
                }
                await WebSocketUpgrade.AcceptAsync(stream, request.Key!, handshake.Token).ConfigureAwait(false);
                handshakeTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                Log($"Client {peer} connected.");
                using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = StreamerProtocol.KeepAliveInterval });
                _transfer.TrySetResult(await TransferAsync(socket, ct).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                // A refused connection that broke changes nothing; the transfer's connection ends the streamer, whatever broke it.
                if (mine && !_transfer.Task.IsCompleted)
                {
                    Log($"Transfer failed: {e.Message}", error: true);
                    _transfer.TrySetResult(ct.IsCancellationRequested ? StreamerExitCodes.Stopped : StreamerExitCodes.TransferFailed);
                }
            }
        }
    }

    private async Task<int> TransferAsync(WebSocket socket, CancellationToken ct)
    {
        var path = _options.Path;
        try
        {
            if (_options.Mode == StreamerMode.Receive)
            {
                var received = await StreamerPeer.ReceiveAsync(socket, path, exclusive: true, _options.InboundTransferLimit, null, ct).ConfigureAwait(false);
                Log($"Received {received.Size} bytes");
                Log($"SHA-256: {received.Sha256}");
                Log($"File was successfully received into {path}");
                return StreamerExitCodes.Success;
            }
            FileStream source;
            try
            {
                source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var error = e is FileNotFoundException or DirectoryNotFoundException ? "FileNotFoundError" : e is UnauthorizedAccessException ? "PermissionError" : "OSError";
                var status = error == "FileNotFoundError" ? StreamerProtocol.FileErrorStatus : WebSocketCloseStatus.InternalServerError;
                await socket.CloseAsync(status, StreamerProtocol.ErrorReason(error), ct).ConfigureAwait(false);
                throw new StreamerException(status, error, $"Unable to open '{path}': {e.Message}");
            }
            await using (source)
            {
                var sha = await StreamerPeer.SendAsync(socket, source, source.Length, null, ct).ConfigureAwait(false);
                Log($"Sent {source.Length} bytes");
                Log($"SHA-256: {sha}");
                Log($"File was successfully sent from {path}");
            }
            return StreamerExitCodes.Success;
        }
        catch (StreamerException e)
        {
            Log($"Transfer failed ({(int)e.Status} {e.Error}): {e.Message}", error: true);
            return e.Status == StreamerProtocol.FileErrorStatus ? StreamerExitCodes.FileError : StreamerExitCodes.TransferFailed;
        }
    }

    private void Log(string line, bool error = false)
    {
        var stamped = $"{_time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC {line}";
        lock (_log)
        {
            _log.WriteLine(stamped);
            _log.Flush();
            if (error && _errors is not null)
            {
                _errors.WriteLine(stamped);
                _errors.Flush();
            }
        }
    }

    private static IPAddress ResolveHost(string host)
    {
        if (host is "localhost") return IPAddress.Loopback;
        if (IPAddress.TryParse(host, out var address)) return address;
        var found = Dns.GetHostAddresses(host);
        return found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
            ?? throw new StreamerException(WebSocketCloseStatus.InternalServerError, "OSError", $"The host '{host}' does not resolve.");
    }
}
