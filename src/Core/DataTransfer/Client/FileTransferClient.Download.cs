using System.Net;
using System.Net.Http.Headers;
using Firecrest.Core.Models;

namespace Firecrest.Core.DataTransfer.Client;

public sealed partial class FileTransferClient
{
    /// <summary>
    /// Downloads the file <paramref name="remoteFilePath"/> of <paramref name="system"/> to <paramref name="localPath"/>
    /// (replaced atomically only once complete and its SHA-256 matches the cluster's). Files up to <c>max_ops_file_size</c>
    /// come through <c>ops/download</c>; larger ones from the transfer job's streamer where the system offers it (one hop,
    /// no resume), else through a transfer job and ranged parallel GETs from S3 into <c>&lt;local&gt;.part</c>, whose state
    /// (<c>&lt;local&gt;.f7t-download.json</c>) lets the next call continue.
    /// </summary>
    public async Task DownloadAsync(string system, RemotePath remoteFilePath, string localPath, FileTransferOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new FileTransferOptions();
        options.Validate();
        CheckSystem(system);
        SplitRemote(remoteFilePath);
        var full = Path.GetFullPath(localPath);
        var localDir = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(localDir) || !Directory.Exists(localDir))
            throw new HpcException(HpcErrorKind.NotFound, $"Local directory of '{localPath}' not found.");
        if (Directory.Exists(full)) throw new HpcException(HpcErrorKind.InvalidArgument, $"'{localPath}' is a directory; give a file path.");

        var stat = await _operations.Files.StatAsync(system, remoteFilePath, dereference: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        if ((stat.Mode & 0xF000) == 0x4000)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"'{remoteFilePath}' is a directory; only files can be downloaded.");
        var size = stat.Size;
        var limit = await MaxDirectFileSizeAsync(system, options, cancellationToken).ConfigureAwait(false);
        var partial = TransferStateFile.PartialPathFor(full);
        if (size <= limit)
        {
            var meter = new ProgressMeter(size, 0, progress, _time, options.ProgressInterval);
            meter.Enter(TransferPhase.Downloading);
            var bytes = await _operations.Files.DownloadAsync(system, remoteFilePath, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(partial, bytes, cancellationToken).ConfigureAwait(false);
            meter.Add(bytes.LongLength);
            await FinishDownloadAsync(system, remoteFilePath, partial, full, null, null, options, meter, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (await StagesThroughStreamerAsync(system, options, cancellationToken).ConfigureAwait(false))
            await DownloadStreamerAsync(system, remoteFilePath, full, partial, size, options, progress, cancellationToken).ConfigureAwait(false);
        else
            await DownloadStagedAsync(system, remoteFilePath, full, partial, size, stat.Mtime, options, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task FinishDownloadAsync(string system, RemotePath remotePath, string partial, string target, string? statePath, TransferJob? job,
        FileTransferOptions options, ProgressMeter meter, CancellationToken ct)
    {
        if (options.VerifyChecksum)
        {
            meter.Enter(TransferPhase.Verifying);
            try
            {
                await VerifyAsync(system, remotePath, LocalFileHash.Sha256Async(partial, ct), job, "download", ct).ConfigureAwait(false);
            }
            catch (HpcException)
            {
                File.Delete(partial); // wrong bytes: the next try starts over
                if (statePath is not null) TransferStateFile.Delete(statePath);
                throw;
            }
        }
        File.Move(partial, target, overwrite: true);
        if (statePath is not null) TransferStateFile.Delete(statePath);
        meter.Enter(TransferPhase.Completed);
    }

    private async Task DownloadStagedAsync(string system, RemotePath remotePath, string target, string partial, long size, long mtime,
        FileTransferOptions options, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var statePath = TransferStateFile.DownloadPathFor(target);
        var state = options.Resume ? await TransferStateFile.LoadAsync<DownloadState>(statePath, ct).ConfigureAwait(false) : null;
        if (state is not null && !state.Matches(system, remotePath.Value, size, mtime)) state = null;
        if (state is not null && (!File.Exists(partial) || new FileInfo(partial).Length != size)) state.DoneRanges.Clear();
        var resumed = state is not null;
        if (state is null)
        {
            TransferStateFile.Delete(statePath);
            File.Delete(partial);
            var response = await _operations.Transfers.StartDownloadAsync(system, remotePath, options.Account, ct).ConfigureAwait(false);
            var url = response.TransferDirectives?.DownloadUrl;
            if (string.IsNullOrEmpty(url)) throw new HpcException(HpcErrorKind.Internal, "The server's download answer has no download URL.");
            state = new DownloadState
            {
                System = system, RemotePath = remotePath.Value, RemoteSize = size, RemoteModified = mtime,
                Job = response.TransferJob, DownloadUrl = url, RangeSize = options.DownloadRangeSize,
            };
            await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
        }

        var ranges = PartPlan.Split(size, state.RangeSize);
        var done = state.DoneRanges.ToHashSet();
        var meter = new ProgressMeter(size, ranges.Where(r => done.Contains(r.Number)).Sum(r => r.Length), progress, _time, options.ProgressInterval);
        if (!state.JobCompleted)
        {
            meter.Enter(TransferPhase.WaitingForJob);
            try
            {
                await new TransferJobWaiter(_operations, options, _time)
                    .WaitCompletedAsync(system, state.Job, $"Download of '{remotePath}'", ct).ConfigureAwait(false);
            }
            catch (HpcException)
            {
                TransferStateFile.Delete(statePath);
                throw;
            }
            state.JobCompleted = true;
            await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
        }

        meter.Enter(TransferPhase.Downloading);
        try
        {
            await ReceiveRangesAsync(partial, statePath, state, ranges.Where(r => !done.Contains(r.Number)).ToList(), options, meter, ct).ConfigureAwait(false);
        }
        catch (HpcException e) when (resumed && e.Kind is HpcErrorKind.PermissionDenied or HpcErrorKind.NotFound)
        {
            TransferStateFile.Delete(statePath);
            File.Delete(partial);
            throw new HpcException(e.Kind, $"{e.Message}. The saved download state of '{target}' was dropped; download again to start over.", e)
            { StatusCode = e.StatusCode };
        }
        await FinishDownloadAsync(system, remotePath, partial, target, statePath, state.Job, options, meter, ct).ConfigureAwait(false);
    }

    private async Task ReceiveRangesAsync(string partial, string statePath, DownloadState state, List<FilePart> todo, FileTransferOptions options,
        ProgressMeter meter, CancellationToken ct)
    {
        using (var create = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None))
            if (create.Length != state.RemoteSize) create.SetLength(state.RemoteSize);
        if (todo.Count == 0) return;
        var retry = RetryFor(options);
        using var saveLock = new SemaphoreSlim(1, 1);
        using var file = File.OpenHandle(partial, FileMode.Open, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ParallelParts, CancellationToken = ct };
        await Parallel.ForEachAsync(todo, parallel, async (range, pct) =>
        {
            long got = 0;
            await retry.RunAsync($"Download of bytes {range.Offset}-{range.LastByte}", async (_, c) =>
            {
                Interlocked.Exchange(ref got, 0);
                using var request = new HttpRequestMessage(HttpMethod.Get, state.DownloadUrl);
                request.Headers.Range = new RangeHeaderValue(range.Offset, range.LastByte);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, c).ConfigureAwait(false);
                var whole = range.Offset == 0 && range.Length == state.RemoteSize;
                if (response.StatusCode != HttpStatusCode.PartialContent && !(response.StatusCode == HttpStatusCode.OK && whole))
                {
                    var body = await response.Content.ReadAsStringAsync(c).ConfigureAwait(false);
                    throw response.IsSuccessStatusCode
                        ? new HpcException(HpcErrorKind.Internal, $"The store ignored the range request (HTTP {(int)response.StatusCode}).")
                        : TransferRetry.ErrorFor(response.StatusCode, $"GET of bytes {range.Offset}-{range.LastByte}", body);
                }
                await using var body2 = await response.Content.ReadAsStreamAsync(c).ConfigureAwait(false);
                var buffer = new byte[256 * 1024];
                long pos = 0;
                int read;
                while ((read = await body2.ReadAsync(buffer, c).ConfigureAwait(false)) > 0)
                {
                    if (pos + read > range.Length) throw new IOException($"The store sent more than the {range.Length} bytes asked for.");
                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), range.Offset + pos, c).ConfigureAwait(false);
                    pos += read;
                    Interlocked.Add(ref got, read);
                    meter.Add(read);
                }
                if (pos != range.Length) throw new IOException($"Range {range.Offset}-{range.LastByte} ended after {pos} of {range.Length} bytes.");
                return true;
            }, pct, () => meter.Add(-Interlocked.Exchange(ref got, 0))).ConfigureAwait(false);

            await saveLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                state.DoneRanges.Add(range.Number);
                await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                saveLock.Release();
            }
        }).ConfigureAwait(false);
    }
}
