using System.Net.WebSockets;
using Firecrest.Core.Models;
using Firecrest.Streamer;

namespace Firecrest.Core.DataTransfer.Client;

public sealed partial class FileTransferClient
{
    /// <summary>
    /// Upload through the transfer job's streamer (one hop): start the transfer, connect once the job listens, send
    /// init, data and eof, wait for the job to end COMPLETED, then compare the SHA-256 the job logged with the one sent.
    /// The protocol cannot resume: a failed upload leaves nothing behind and the next call starts over.
    /// </summary>
    private async Task UploadStreamerAsync(string system, string localPath, RemotePath remotePath, long size, FileTransferOptions options,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var what = $"Upload of '{localPath}' to '{remotePath}'";
        var meter = new ProgressMeter(size, 0, progress, _time, options.ProgressInterval);
        // The streamer writes only a new file; an existing target is replaced by a move job once the new bytes are verified.
        var replaces = await RemoteFileExistsAsync(system, remotePath, ct).ConfigureAwait(false);
        var (directory, name) = SplitRemote(remotePath);
        var streamTo = replaces ? directory.Combine($".{name}.f7t-{Guid.NewGuid():N}.part") : remotePath;
        var response = await _operations.Transfers.StartStreamerUploadAsync(system, streamTo, options.Account, ct).ConfigureAwait(false);
        meter.Enter(TransferPhase.WaitingForJob);
        string sent;
        using (var socket = await ConnectStreamerAsync(system, response, options, what, ct).ConfigureAwait(false))
        {
            meter.Enter(TransferPhase.Uploading);
            await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            try
            {
                sent = await StreamerPeer.SendAsync(socket, file, size, meter.Add, ct).ConfigureAwait(false);
            }
            catch (StreamerException e)
            {
                throw StreamerFailure(e, $"{what} (transfer job {response.TransferJob.JobId})", upload: true, remotePath);
            }
        }
        meter.Enter(TransferPhase.WaitingForJob);
        var waiter = new TransferJobWaiter(_operations, options, _time);
        await waiter.WaitCompletedAsync(system, response.TransferJob, what, ct).ConfigureAwait(false);
        if (replaces)
        {
            if (options.VerifyChecksum)
            {
                meter.Enter(TransferPhase.Verifying);
                await VerifyAsync(system, streamTo, Task.FromResult(sent), response.TransferJob, "upload", ct).ConfigureAwait(false);
            }
            var move = await _operations.Transfers.MoveAsync(system, streamTo, remotePath, options.Account, ct).ConfigureAwait(false);
            await waiter.WaitCompletedAsync(system, move, $"{what}: replacing the existing file", ct).ConfigureAwait(false);
            meter.Enter(TransferPhase.Completed);
            return;
        }
        await FinishUploadAsync(system, remotePath, Task.FromResult(sent), response.TransferJob, options, meter, ct).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="remotePath"/> exists as a file; a directory there is refused (400).</summary>
    private async Task<bool> RemoteFileExistsAsync(string system, RemotePath remotePath, CancellationToken ct)
    {
        FileStat stat;
        try
        {
            stat = await _operations.Files.StatAsync(system, remotePath, dereference: true, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
        {
            return false;
        }
        return (stat.Mode & 0xF000) == 0x4000
            ? throw new HpcException(HpcErrorKind.InvalidArgument, $"'{remotePath}' on '{system}' is a directory; give the path of a file.")
            : true;
    }

    /// <summary>
    /// Download through the transfer job's streamer: the bytes go into <c>&lt;local&gt;.part</c>, are checked against the
    /// SHA-256 the job sends at the end, and only then replace <paramref name="target"/>. Nothing is resumed.
    /// </summary>
    private async Task DownloadStreamerAsync(string system, RemotePath remotePath, string target, string partial, long size, FileTransferOptions options,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var what = $"Download of '{remotePath}'";
        TransferStateFile.Delete(TransferStateFile.DownloadPathFor(target)); // a staged download's state does not apply
        File.Delete(partial);
        var meter = new ProgressMeter(size, 0, progress, _time, options.ProgressInterval);
        var response = await _operations.Transfers.StartStreamerDownloadAsync(system, remotePath, options.Account, ct).ConfigureAwait(false);
        meter.Enter(TransferPhase.WaitingForJob);
        using (var socket = await ConnectStreamerAsync(system, response, options, what, ct).ConfigureAwait(false))
        {
            meter.Enter(TransferPhase.Downloading);
            try
            {
                // The receiver compares the bytes with the SHA-256 of the job's eof frame and deletes them on a mismatch.
                await StreamerPeer.ReceiveAsync(socket, partial, exclusive: false, inboundLimit: null, meter.Add, ct).ConfigureAwait(false);
            }
            catch (StreamerException e)
            {
                throw StreamerFailure(e, $"{what} (transfer job {response.TransferJob.JobId})", upload: false, remotePath);
            }
        }
        meter.Enter(TransferPhase.Verifying);
        File.Move(partial, target, overwrite: true);
        meter.Enter(TransferPhase.Completed);
    }

    /// <summary>
    /// Connects to the job's streamer, retrying (on the options' poll schedule) while the job is queued or starting;
    /// fails once the job ended, or after the job timeout, naming what the ports answered.
    /// </summary>
    private async Task<WebSocket> ConnectStreamerAsync(string system, TransferResponse response, FileTransferOptions options, string what, CancellationToken ct)
    {
        var coordinates = StreamerCoordinates.Decode(response.TransferDirectives?.Coordinates);
        var job = response.TransferJob;
        // Capped at 1 s: a refused connect costs little, and the transfer waits for the job's streamer, not the other way round.
        var poll = new Backoff(options.JobPollInterval, options.JobPollMaxInterval < TimeSpan.FromSeconds(1) ? options.JobPollMaxInterval : TimeSpan.FromSeconds(1), factor: 1.5);
        var started = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var (socket, refusals) = await StreamerConnector.TryConnectAsync(coordinates, ct).ConfigureAwait(false);
            if (socket is not null) return socket;
            var answered = refusals.Count == 0 ? "" : $" Ports that answered: {string.Join("; ", refusals)}.";
            var state = await JobStateAsync(system, job.JobId, _time.GetElapsedTime(started) < options.JobNotFoundGrace, ct).ConfigureAwait(false);
            if (state is { } s && JobStates.IsFinal(s))
            {
                try
                {
                    await new TransferJobWaiter(_operations, options, _time).WaitCompletedAsync(system, job, what, ct).ConfigureAwait(false);
                }
                catch (HpcException e)
                {
                    throw new HpcException(e.Kind, $"{e.Message.TrimEnd('.')} before its streamer took the connection.{answered}", e) { CausedBy = e.CausedBy };
                }
                throw new HpcException(HpcErrorKind.Internal, $"{what}: transfer job {job.JobId} ended before its streamer took the connection.{answered}");
            }
            if (_time.GetElapsedTime(started) >= options.JobTimeout)
                throw new HpcException(HpcErrorKind.Timeout,
                    $"{what}: the streamer of transfer job {job.JobId} did not take the connection within {options.JobTimeout}; the job was left running.{answered}");
            await (RetryDelay ?? ((d, c) => Task.Delay(d, _time, c)))(poll.Delay(attempt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The job's state; null while the scheduler does not list it yet (within <paramref name="inGrace"/>).</summary>
    private async Task<JobState?> JobStateAsync(string system, string jobId, bool inGrace, CancellationToken ct)
    {
        try
        {
            var job = (await _operations.Compute.GetJobAsync(system, JobId.Parse(jobId, "jobId"), ct).ConfigureAwait(false)).FirstOrDefault();
            return job?.State;
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound && inGrace)
        {
            return null;
        }
    }

    private static HpcException StreamerFailure(StreamerException e, string what, bool upload, RemotePath remotePath)
    {
        var kind = e.Status switch
        {
            WebSocketCloseStatus.MessageTooBig when e.Error == "InboundTransferLimitExceeded" => HpcErrorKind.TooLarge,
            StreamerProtocol.FileErrorStatus => upload ? HpcErrorKind.AlreadyExists : HpcErrorKind.NotFound,
            _ => HpcErrorKind.Internal,
        };
        var message = kind switch
        {
            HpcErrorKind.TooLarge => $"{what} exceeds the system's inbound transfer limit (data_transfer.inbound_transfer_limit): {e.Message}",
            HpcErrorKind.AlreadyExists => $"{what}: the target '{remotePath}' already exists.",
            HpcErrorKind.NotFound => $"{what}: the source '{remotePath}' does not exist.",
            _ => $"{what} failed ({e.Error}): {e.Message} Nothing is kept; transfer again to start over.",
        };
        return new HpcException(kind, message, e);
    }
}
