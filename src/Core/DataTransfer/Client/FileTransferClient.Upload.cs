using System.Net.Http.Headers;
using System.Text;
using Firecrest.Core.Models;

namespace Firecrest.Core.DataTransfer.Client;

public sealed partial class FileTransferClient
{
    /// <summary>
    /// Uploads <paramref name="localPath"/> to the file <paramref name="remoteFilePath"/> on <paramref name="system"/> and
    /// checks its SHA-256 on the cluster. Files up to the system's <c>max_ops_file_size</c> go through <c>ops/upload</c>;
    /// larger ones through the transfer job's streamer where the system offers it (one hop, no resume), else through S3
    /// in parallel parts. An interrupted staged upload (cancellation or failure) leaves a state
    /// file (<c>&lt;local&gt;.f7t-upload.json</c>) from which the next call continues without re-sending finished parts.
    /// </summary>
    public async Task UploadAsync(string system, string localPath, RemotePath remoteFilePath, FileTransferOptions? options = null,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new FileTransferOptions();
        options.Validate();
        CheckSystem(system);
        var (directory, name) = SplitRemote(remoteFilePath);
        var info = new FileInfo(localPath);
        if (!info.Exists) throw new HpcException(HpcErrorKind.NotFound, $"Local file '{localPath}' not found.");
        var size = info.Length;
        var writeTicks = info.LastWriteTimeUtc.Ticks;
        var limit = await MaxDirectFileSizeAsync(system, options, cancellationToken).ConfigureAwait(false);
        if (size > limit && await StagesThroughStreamerAsync(system, options, cancellationToken).ConfigureAwait(false))
        {
            // The sender hashes what it sends; no second pass over the file.
            await RequireRemoteDirectoryAsync(system, directory, cancellationToken).ConfigureAwait(false);
            await UploadStreamerAsync(system, localPath, remoteFilePath, size, options, progress, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The local SHA-256 is computed while the data goes out; it is awaited where it is first needed. The caller's
        // cancellation does not stop it: a part that finished before the cancel is recorded only with the hash (so a
        // resume can tell the file is the same), and hashing outruns any upload. It stops once the upload has ended.
        using var hashing = new CancellationTokenSource();
        var sha = Task.Run(() => LocalFileHash.Sha256Async(localPath, hashing.Token), hashing.Token);
        try
        {
            await UploadWithHashAsync(system, localPath, remoteFilePath, directory, name, size, writeTicks, limit, sha, options, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            hashing.Cancel();
            await sha.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task UploadWithHashAsync(string system, string localPath, RemotePath remoteFilePath, RemotePath directory, string name, long size, long writeTicks,
        long limit, Task<string> sha, FileTransferOptions options, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (size <= limit)
        {
            var meter = new ProgressMeter(size, 0, progress, _time, options.ProgressInterval);
            meter.Enter(TransferPhase.Uploading);
            await using (var stream = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                await _operations.Files.UploadAsync(system, directory, name, stream, cancellationToken).ConfigureAwait(false);
            meter.Add(size);
            await FinishUploadAsync(system, remoteFilePath, sha, null, options, meter, cancellationToken).ConfigureAwait(false);
            return;
        }
        await UploadStagedAsync(system, localPath, remoteFilePath, directory, size, writeTicks, sha, options, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task FinishUploadAsync(string system, RemotePath remotePath, Task<string> sha, TransferJob? job, FileTransferOptions options, ProgressMeter meter, CancellationToken ct)
    {
        if (options.VerifyChecksum)
        {
            meter.Enter(TransferPhase.Verifying);
            await VerifyAsync(system, remotePath, sha, job, "upload", ct).ConfigureAwait(false);
        }
        meter.Enter(TransferPhase.Completed);
    }

    private async Task UploadStagedAsync(string system, string localPath, RemotePath remotePath, RemotePath remoteDirectory, long size, long writeTicks,
        Task<string> sha, FileTransferOptions options, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var statePath = TransferStateFile.UploadPathFor(localPath);
        // Only a saved state needs the hash before the parts go (it must be the same file); a new upload saves its state
        // without it, and SendPartsAsync adds it before recording the first part, so no state without a hash has parts.
        var saved = await TransferStateFile.LoadAsync<UploadState>(statePath, ct).ConfigureAwait(false);
        var state = options.Resume && saved is not null
            ? await ResumableUploadAsync(saved, system, remotePath, size, writeTicks, await sha.ConfigureAwait(false), ct).ConfigureAwait(false)
            : null;
        var resumed = state is not null;
        if (state is null)
        {
            TransferStateFile.Delete(statePath);
            if (saved is not null) await CancelAbandonedJobAsync(saved, ct).ConfigureAwait(false);
            await RequireRemoteDirectoryAsync(system, remoteDirectory, ct).ConfigureAwait(false);
            var response = await _operations.Transfers.StartUploadAsync(system, remotePath, size, options.Account, ct).ConfigureAwait(false);
            var d = response.TransferDirectives;
            if (d?.PartsUploadUrls is not { Count: > 0 } urls || string.IsNullOrEmpty(d.CompleteUploadUrl) || d.MaxPartSize is not > 0)
                throw new HpcException(HpcErrorKind.Internal, "The server's upload answer has no part URLs, complete URL or part size.");
            state = new UploadState
            {
                System = system, RemotePath = remotePath.Value, LocalSize = size, LocalWriteTimeTicks = writeTicks, LocalSha256 = "",
                Job = response.TransferJob, PartUrls = urls, CompleteUrl = d.CompleteUploadUrl, PartSize = d.MaxPartSize.Value,
            };
            await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
        }

        var parts = PartPlan.Split(size, state.PartSize, state.PartUrls.Count);
        var doneNumbers = state.Parts.Select(p => p.Number).ToHashSet();
        var meter = new ProgressMeter(size, parts.Where(p => doneNumbers.Contains(p.Number)).Sum(p => p.Length), progress, _time, options.ProgressInterval);
        try
        {
            if (!state.Completed)
            {
                meter.Enter(TransferPhase.Uploading);
                await SendPartsAsync(localPath, statePath, state, sha, parts.Where(p => !doneNumbers.Contains(p.Number)).ToList(), options, meter, ct).ConfigureAwait(false);
                await Task.Delay(options.CompleteDelay, _time, ct).ConfigureAwait(false);
                await CompleteAsync(state, parts.Count, options, ct).ConfigureAwait(false);
                state.Completed = true;
                await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (HpcException e) when (resumed && e.Kind == HpcErrorKind.PermissionDenied)
        {
            TransferStateFile.Delete(statePath);
            throw new HpcException(HpcErrorKind.PermissionDenied,
                $"{e.Message}. The saved upload state of '{localPath}' was dropped; upload again to start over.", e) { StatusCode = e.StatusCode };
        }

        meter.Enter(TransferPhase.WaitingForJob);
        try
        {
            await new TransferJobWaiter(_operations, options, _time)
                .WaitCompletedAsync(system, state.Job, $"Upload of '{localPath}' to '{remotePath}'", ct).ConfigureAwait(false);
        }
        catch (HpcException)
        {
            TransferStateFile.Delete(statePath); // the job is over: this staging can never complete
            throw;
        }
        TransferStateFile.Delete(statePath);
        await FinishUploadAsync(system, remotePath, sha, state.Job, options, meter, ct).ConfigureAwait(false);
    }

    /// <summary>The saved state when it fits this upload and its job still waits (or completed after the last Complete).</summary>
    private async Task<UploadState?> ResumableUploadAsync(UploadState state, string system, RemotePath remotePath, long size, long writeTicks, string sha, CancellationToken ct)
    {
        if (!state.Matches(system, remotePath.Value, size, writeTicks, sha)) return null;
        try
        {
            var job = (await _operations.Compute.GetJobAsync(system, JobId.Parse(state.Job.JobId, "jobId"), ct).ConfigureAwait(false)).FirstOrDefault();
            if (job is null) return null;
            if (!JobStates.IsFinal(job.State)) return state;
            return state.Completed && job.State == JobState.Completed ? state : null;
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Cancels the transfer job of a saved upload that is not continued: it waits for parts that will never come and
    /// would hold its allocation until the URLs expire or the wait timeout passes (or, completed, would write the old
    /// data over the new). A job that has ended, or that cannot be cancelled, is left as it is: the new upload does not
    /// depend on it.
    /// </summary>
    private async Task CancelAbandonedJobAsync(UploadState abandoned, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(abandoned.System) || string.IsNullOrEmpty(abandoned.Job.JobId)) return;
        try
        {
            await _operations.Compute.CancelJobAsync(abandoned.System, JobId.Parse(abandoned.Job.JobId, "jobId"), ct).ConfigureAwait(false);
        }
        catch (HpcException)
        {
        }
    }

    private async Task RequireRemoteDirectoryAsync(string system, RemotePath directory, CancellationToken ct)
    {
        var stat = await _operations.Files.StatAsync(system, directory, dereference: true, cancellationToken: ct).ConfigureAwait(false);
        if ((stat.Mode & 0xF000) != 0x4000)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"'{directory}' on '{system}' is not a directory.");
    }

    private async Task SendPartsAsync(string localPath, string statePath, UploadState state, Task<string> sha, List<FilePart> todo, FileTransferOptions options,
        ProgressMeter meter, CancellationToken ct)
    {
        if (todo.Count == 0) return;
        var retry = RetryFor(options);
        using var saveLock = new SemaphoreSlim(1, 1);
        using var file = File.OpenHandle(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ParallelParts, CancellationToken = ct };
        await Parallel.ForEachAsync(todo, parallel, async (part, pct) =>
        {
            long sent = 0;
            var etag = await retry.RunAsync($"Upload of part {part.Number}/{state.PartUrls.Count}", async (_, c) =>
            {
                Interlocked.Exchange(ref sent, 0);
                using var request = new HttpRequestMessage(HttpMethod.Put, state.PartUrls[part.Number - 1])
                {
                    Content = new FileRangeContent(file, part.Offset, part.Length, b => { Interlocked.Add(ref sent, b); meter.Add(b); }),
                };
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, c).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw TransferRetry.ErrorFor(response.StatusCode, $"PUT of part {part.Number}", await response.Content.ReadAsStringAsync(c).ConfigureAwait(false));
                var tag = response.Headers.ETag?.Tag
                    ?? (response.Headers.TryGetValues("ETag", out var raw) ? raw.FirstOrDefault() : null);
                return string.IsNullOrEmpty(tag)
                    ? throw new HpcException(HpcErrorKind.Internal, $"The store answered part {part.Number} without an ETag.")
                    : tag;
            }, pct, () => meter.Add(-Interlocked.Exchange(ref sent, 0))).ConfigureAwait(false);

            await saveLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (state.LocalSha256.Length == 0) state.LocalSha256 = await sha.ConfigureAwait(false);
                state.Parts.Add(new UploadedPart { Number = part.Number, ETag = etag });
                await TransferStateFile.SaveAsync(statePath, state, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                saveLock.Release();
            }
        }).ConfigureAwait(false);
    }

    private async Task CompleteAsync(UploadState state, int partCount, FileTransferOptions options, CancellationToken ct)
    {
        var xml = CompleteMultipartXml.Build(state.Parts, partCount);
        await RetryFor(options).RunAsync("CompleteMultipartUpload", async (_, c) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, state.CompleteUrl)
            {
                Content = new StringContent(xml, Encoding.UTF8, new MediaTypeHeaderValue("application/xml")),
            };
            using var response = await _http.SendAsync(request, c).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(c).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw TransferRetry.ErrorFor(response.StatusCode, "CompleteMultipartUpload", body);
            if (CompleteMultipartXml.IsError(body))
                throw body.Contains("InternalError", StringComparison.Ordinal) || body.Contains("SlowDown", StringComparison.Ordinal)
                    ? new TransientHttpException(response.StatusCode, $"CompleteMultipartUpload: {body.Trim()}")
                    : new HpcException(HpcErrorKind.Internal, $"CompleteMultipartUpload was refused: {body.Trim()}");
            return true;
        }, ct).ConfigureAwait(false);
    }
}
