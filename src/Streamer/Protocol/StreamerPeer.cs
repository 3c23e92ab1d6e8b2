using System.Net.WebSockets;
using System.Security.Cryptography;

namespace Firecrest.Streamer;

/// <summary>
/// The two roles of a transfer over an open WebSocket, whichever side connected: the sender (the client on upload,
/// the job on download) and the receiver. Both hash the bytes as they pass and compare at the end; the receiver
/// closes the connection with the outcome (1000, or an error code and <see cref="StreamerProtocol.ErrorReason"/>).
/// </summary>
internal static class StreamerPeer
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends <paramref name="size"/> bytes of <paramref name="source"/> (init, data, eof) and waits for the receiver to
    /// close. Returns the SHA-256 sent.
    /// </summary>
    /// <exception cref="StreamerException">The receiver refused the file (its close code and reason) or the connection broke.</exception>
    public static async Task<string> SendAsync(WebSocket socket, Stream source, long size, Action<long>? progress, CancellationToken cancellationToken)
    {
        // The receiver may close at any time (e.g. over its limit); a receive runs all along to see it (and to answer pings).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var closed = WaitForCloseAsync(socket, stop.Token);
        try
        {
            await SendFrameAsync(socket, StreamerProtocol.Init(size), WebSocketMessageType.Binary, closed, stop.Token).ConfigureAwait(false);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] current = new byte[StreamerProtocol.ChunkSize], next = new byte[StreamerProtocol.ChunkSize];
            var remaining = size;
            var read = remaining > 0 ? ReadChunkAsync(source, current, remaining, stop.Token) : Task.FromResult(0);
            while (remaining > 0)
            {
                var n = await read.ConfigureAwait(false);
                if (n == 0) throw new StreamerException(WebSocketCloseStatus.InternalServerError, "EOFError", $"The source ended {remaining} bytes before the announced {size}.");
                remaining -= n;
                hash.AppendData(current, 0, n);
                // The next chunk is read from disk while this one goes out.
                read = remaining > 0 ? ReadChunkAsync(source, next, remaining, stop.Token) : Task.FromResult(0);
                await SendFrameAsync(socket, current.AsMemory(0, n), WebSocketMessageType.Binary, closed, stop.Token).ConfigureAwait(false);
                progress?.Invoke(n);
                (current, next) = (next, current);
            }
            var sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            await SendFrameAsync(socket, StreamerProtocol.Eof(sha), WebSocketMessageType.Text, closed, stop.Token).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            wait.CancelAfter(CloseWait);
            var outcome = await closed.WaitAsync(wait.Token).ConfigureAwait(false);
            ThrowUnlessNormal(outcome, "after the whole file");
            return sha;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StreamerException(WebSocketCloseStatus.InternalServerError, "TimeoutError", $"The receiver did not close the connection within {CloseWait.TotalSeconds:0} s of the eof frame.");
        }
        catch (WebSocketException e)
        {
            // A send fails once the receiver's close was answered: its code says why.
            CloseOutcome? outcome = null;
            try
            {
                outcome = await closed.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // no close frame came: the connection itself broke
            }
            if (outcome is not null) ThrowUnlessNormal(outcome, "during the transfer", early: true);
            throw new StreamerException(WebSocketCloseStatus.InternalServerError, "ConnectionClosedError", $"The connection broke during the transfer: {e.Message}");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await closed.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receives a file into <paramref name="targetPath"/> (created new when <paramref name="exclusive"/>, else replaced),
    /// checks its size and SHA-256 against the sender's, and closes the connection with the outcome. The file is deleted
    /// when anything fails.
    /// </summary>
    /// <remarks><paramref name="inboundLimit"/>: most bytes accepted; more closes with 1009 (null: no limit).</remarks>
    /// <exception cref="StreamerException">The transfer failed; the sender was told with the same code.</exception>
    public static async Task<ReceivedFile> ReceiveAsync(WebSocket socket, string targetPath, bool exclusive, long? inboundLimit, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        byte[] current = new byte[StreamerProtocol.MaxMessageSize], other = new byte[StreamerProtocol.MaxMessageSize];
        FileStream? file = null;
        var write = Task.CompletedTask;
        var done = false;
        try
        {
            var init = StreamerProtocol.ParseInit(current.AsSpan(0, await ReceiveMessageAsync(socket, current, cancellationToken).ConfigureAwait(false)));
            if (inboundLimit is { } announcedLimit && init.FileSize > announcedLimit)
                throw OverLimit(announcedLimit, $"The file has {init.FileSize} bytes");
            try
            {
                file = new FileStream(targetPath, exclusive ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            }
            catch (IOException) when (exclusive && File.Exists(targetPath))
            {
                throw new StreamerException(StreamerProtocol.FileErrorStatus, "FileExistsError", $"The target '{targetPath}' already exists.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StreamerException(WebSocketCloseStatus.InternalServerError, e is UnauthorizedAccessException ? "PermissionError" : "OSError",
                    $"Unable to create '{targetPath}': {e.Message}");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            for (var i = 0; i < init.NumChunks; i++)
            {
                var n = await ReceiveMessageAsync(socket, current, cancellationToken).ConfigureAwait(false);
                total += n;
                if (inboundLimit is { } limit && total > limit) throw OverLimit(limit, $"More than {limit} bytes arrived");
                if (total > init.FileSize) throw Mismatch($"More than the announced {init.FileSize} bytes arrived.");
                hash.AppendData(current, 0, n);
                // The chunk is written to disk while the next one arrives.
                await write.ConfigureAwait(false);
                write = file.WriteAsync(current.AsMemory(0, n), cancellationToken).AsTask();
                progress?.Invoke(n);
                (current, other) = (other, current);
            }
            // The frame after the last data frame is the eof, whatever its type: pyFirecREST's sender sends a binary one.
            var eof = StreamerProtocol.ParseEof(current.AsSpan(0, await ReceiveMessageAsync(socket, current, cancellationToken).ConfigureAwait(false)));
            await write.ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (total != init.FileSize) throw Mismatch($"{total} bytes arrived, {init.FileSize} were announced.");
            var sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (sha != eof) throw Mismatch($"SHA-256 mismatch: received {sha}, the sender hashed {eof}.");
            await file.DisposeAsync().ConfigureAwait(false);
            file = null;
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "", cancellationToken).ConfigureAwait(false);
            done = true;
            return new ReceivedFile(total, sha);
        }
        catch (StreamerException e)
        {
            await CloseAsync(socket, e.Status, StreamerProtocol.ErrorReason(e.Error), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (WebSocketException e)
        {
            throw new StreamerException(WebSocketCloseStatus.InternalServerError, "ConnectionClosedError", $"The connection broke during the transfer: {e.Message}");
        }
        finally
        {
            if (file is not null)
            {
                await write.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                await file.DisposeAsync().ConfigureAwait(false);
                if (!done) TryDelete(targetPath);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: the failure itself is what the caller reports
        }
        catch (UnauthorizedAccessException)
        {
            // idem
        }
    }

    /// <summary>One whole message into <paramref name="buffer"/>; its length.</summary>
    private static async Task<int> ReceiveMessageAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var n = 0;
        while (true)
        {
            if (n == buffer.Length)
                throw new StreamerException(WebSocketCloseStatus.MessageTooBig, "PayloadTooBig", $"A message is larger than {buffer.Length} bytes.");
            var r = await socket.ReceiveAsync(buffer.AsMemory(n), ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                var error = StreamerProtocol.ErrorOf(socket.CloseStatusDescription);
                throw new StreamerException(socket.CloseStatus ?? WebSocketCloseStatus.Empty, error ?? "ConnectionClosed",
                    $"The sender closed the connection before the end ({(int?)socket.CloseStatus}{(error is null ? "" : " " + error)}).");
            }
            n += r.Count;
            if (r.EndOfMessage) return n;
        }
    }

    private static async Task<int> ReadChunkAsync(Stream source, byte[] buffer, long remaining, CancellationToken ct)
    {
        var want = (int)Math.Min(buffer.Length, remaining);
        var n = 0;
        while (n < want)
        {
            var r = await source.ReadAsync(buffer.AsMemory(n, want - n), ct).ConfigureAwait(false);
            if (r == 0) break;
            n += r;
        }
        return n;
    }

    private static async Task SendFrameAsync(WebSocket socket, ReadOnlyMemory<byte> payload, WebSocketMessageType type, Task<CloseOutcome?> closed, CancellationToken ct)
    {
        if (closed.IsCompleted) ThrowUnlessNormal(await closed.ConfigureAwait(false), "during the transfer", early: true);
        await socket.SendAsync(payload, type, endOfMessage: true, ct).ConfigureAwait(false);
    }

    /// <summary>Receives until the peer's close frame (answering it); null when the connection ends without one.</summary>
    private static async Task<CloseOutcome?> WaitForCloseAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (r.MessageType != WebSocketMessageType.Close) continue;
                var outcome = new CloseOutcome(socket.CloseStatus ?? WebSocketCloseStatus.Empty, socket.CloseStatusDescription);
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(outcome.Status == WebSocketCloseStatus.Empty ? WebSocketCloseStatus.NormalClosure : outcome.Status, null, ct).ConfigureAwait(false);
                return outcome;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    private static void ThrowUnlessNormal(CloseOutcome? outcome, string when, bool early = false)
    {
        if (outcome is null)
            throw new StreamerException(WebSocketCloseStatus.InternalServerError, "ConnectionClosedError", $"The connection ended {when} without a close frame.");
        if (!early && outcome.Status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.Empty) return;
        var error = StreamerProtocol.ErrorOf(outcome.Description) ?? "ConnectionClosed";
        throw new StreamerException(outcome.Status, error, $"The receiver closed the connection {when} with code {(int)outcome.Status} ({error}).");
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(CloseWait);
        try
        {
            await socket.CloseAsync(status, reason, wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort(); // the peer is gone or does not answer the close: nothing more to tell it
        }
    }

    private static StreamerException OverLimit(long limit, string what) =>
        new(WebSocketCloseStatus.MessageTooBig, "InboundTransferLimitExceeded", $"{what}: over the inbound transfer limit of {limit} bytes.");

    private static StreamerException Mismatch(string message) => new(WebSocketCloseStatus.InternalServerError, "DataCorruptionError", message);

    private sealed record CloseOutcome(WebSocketCloseStatus Status, string? Description);
}

/// <summary>A file received completely and verified.</summary>
/// <param name="Size">Bytes written.</param>
/// <param name="Sha256">Lower-case hex SHA-256, equal to the sender's.</param>
internal sealed record ReceivedFile(long Size, string Sha256);
