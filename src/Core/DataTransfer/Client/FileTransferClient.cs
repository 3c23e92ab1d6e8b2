using System.Text.RegularExpressions;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>
/// Uploads and downloads whole files through any <see cref="IHpcOperations"/> (the HTTP client or the engine):
/// small files through the synchronous <c>ops</c> routes, larger ones streamed straight to or from the transfer job
/// where the system's data transfer is <c>streamer</c>, else staged through S3 with parallel parts, per-part retries
/// and resume after an interruption; progress and a SHA-256 check at the end either way. The
/// <see cref="HttpClient"/> is used only for the presigned S3 URLs (never with a bearer token).
/// </summary>
public sealed partial class FileTransferClient
{
    /// <summary>Limit used when neither the options nor the system say how large a direct transfer may be (as pyFirecREST).</summary>
    public const long DefaultMaxDirectFileSize = 1024 * 1024;

    private readonly IHpcOperations _operations;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <param name="operations">FirecREST operations (remote or direct).</param>
    /// <param name="presignedHttp">HTTP client for the presigned S3 URLs; its timeout bounds one part.</param>
    /// <param name="timeProvider">Clock of progress and job polling.</param>
    public FileTransferClient(IHpcOperations operations, HttpClient presignedHttp, TimeProvider? timeProvider = null)
    {
        _operations = operations ?? throw new ArgumentNullException(nameof(operations));
        _http = presignedHttp ?? throw new ArgumentNullException(nameof(presignedHttp));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Retry delays (tests replace it to run without waiting).</summary>
    internal Func<TimeSpan, CancellationToken, Task>? RetryDelay { get; set; }

    private TransferRetry RetryFor(FileTransferOptions o) => new(o.MaxRetries, o.RetryInitialDelay, o.RetryMaxDelay, RetryDelay);

    private async Task<long> MaxDirectFileSizeAsync(string system, FileTransferOptions options, CancellationToken cancellationToken)
    {
        if (options.MaxDirectFileSize is { } configured) return configured;
        var systems = await _operations.Status.GetSystemsAsync(cancellationToken).ConfigureAwait(false);
        var found = systems.FirstOrDefault(s => string.Equals(s.Name, system, StringComparison.OrdinalIgnoreCase))
            ?? throw new HpcException(HpcErrorKind.NotFound, $"System '{system}' not found.");
        return found.DataOperation?.MaxOpsFileSize ?? DefaultMaxDirectFileSize;
    }

    /// <summary>Whether a transfer too large for the direct routes goes through the streamer: the option, else the system's data transfer service.</summary>
    private async Task<bool> StagesThroughStreamerAsync(string system, FileTransferOptions options, CancellationToken cancellationToken)
    {
        if (options.TransferMethod is { } method) return method == TransferMethod.Streamer;
        var systems = await _operations.Status.GetSystemsAsync(cancellationToken).ConfigureAwait(false);
        var found = systems.FirstOrDefault(s => string.Equals(s.Name, system, StringComparison.OrdinalIgnoreCase));
        return found?.DataOperation?.DataTransfer?.ServiceType == TransferMethod.Streamer;
    }

    private async Task VerifyAsync(string system, RemotePath remotePath, Task<string> localSha256, TransferJob? job, string direction, CancellationToken cancellationToken)
    {
        var remoteTask = RemoteSha256Async(system, remotePath, job, cancellationToken);
        await Task.WhenAll(localSha256, remoteTask).ConfigureAwait(false);
        var (remote, source) = await remoteTask.ConfigureAwait(false);
        var local = await localSha256.ConfigureAwait(false);
        if (!string.Equals(remote, local, StringComparison.OrdinalIgnoreCase))
            throw new HpcException(HpcErrorKind.Internal,
                $"SHA-256 mismatch after {direction} of '{remotePath}' on '{system}': local {local}, remote {remote} ({source}).");
    }

    /// <summary>
    /// The SHA-256 of the remote file: the <c>SHA-256: hex</c> line the transfer job wrote to its log (it hashes the
    /// bytes it moved, without the command timeout of a synchronous call), else the synchronous checksum route.
    /// </summary>
    private async Task<(string Sha256, string Source)> RemoteSha256Async(string system, RemotePath remotePath, TransferJob? job, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(job?.Logs?.OutputLog))
        {
            try
            {
                var log = await _operations.Files.TailAsync(system, RemotePath.Parse(job.Logs.OutputLog, "outputLog"), lines: 20, cancellationToken: cancellationToken).ConfigureAwait(false);
                var match = JobLogSha256().Matches(log.Content ?? "").LastOrDefault();
                if (match is not null) return (match.Groups[1].Value, "from the transfer job's log");
            }
            catch (HpcException)
            {
                // log gone or unreadable: ask the checksum route
            }
        }
        var remote = await _operations.Files.ChecksumAsync(system, remotePath, cancellationToken).ConfigureAwait(false);
        return (remote.Checksum.Trim(), "from the checksum route");
    }

    [GeneratedRegex(@"SHA-256: ([0-9a-f]{64})[ \t\r]*(?:\n|\z)")]
    private static partial Regex JobLogSha256();

    private static (RemotePath Directory, string Name) SplitRemote(RemotePath remoteFilePath)
    {
        var file = remoteFilePath.AsFile();
        return (file.Parent, file.Name);
    }

    private static void CheckSystem(string system)
    {
        if (string.IsNullOrWhiteSpace(system)) throw new HpcException(HpcErrorKind.InvalidArgument, "A system name is required.");
    }
}
