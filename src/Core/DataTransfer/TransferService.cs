using System.Globalization;
using Firecrest.Core.Configuration;
using Firecrest.Core.Diagnostics;
using Firecrest.Core.Errors;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Ssh;
using HttpVerb = Amazon.S3.HttpVerb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// The server side of the FirecREST data mover for one system (<c>/filesystem/{system}/transfer</c>): staged S3
/// uploads and downloads, and mv/cp/rm/compress/extract, each as a scheduler job running a bash script rendered from
/// an embedded template with shell-quoted values. Every path is checked where it resolves twice: when the job is
/// submitted (403 before anything is staged) and again at the top of the job script, just before the job acts
/// (<see cref="ResolvedPathGuard"/>).
/// </summary>
public sealed class TransferService : IDisposable
{
    /// <summary>PATH of every transfer job (as upstream).</summary>
    public const string JobPath = "/bin:/usr/bin/:/usr/local/bin/";

    /// <summary>Why <c>transferMethod: "wormhole"</c> is answered 501.</summary>
    public const string WormholeNotSupported =
        "Transfer method 'wormhole' is not supported by this server: magic-wormhole pairs both ends through a public rendezvous relay, which transfer jobs cannot reach here.";

    /// <summary>S3 limit on the number of parts of one multipart upload.</summary>
    public const int MaxParts = 10000;

    private readonly ClusterSettings _cluster;
    private readonly PathGuard _guard;
    private readonly ResolvedPathGuard _resolved;
    private readonly IScheduler _scheduler;
    private readonly IRemoteShell _shell;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly S3Staging? _s3;
    private readonly DefaultAccounts _defaultAccounts;

    /// <param name="cluster">The system: file systems, data_operation (directives, data_transfer).</param>
    /// <param name="scheduler">Submits the jobs.</param>
    /// <param name="shell">Runs <c>stat</c> on the download source.</param>
    /// <param name="s3ClientFactory">Creates the private and public S3 clients.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock of the presigned URLs.</param>
    public TransferService(ClusterSettings cluster, IScheduler scheduler, IRemoteShell shell, IS3ClientFactory s3ClientFactory,
        ILogger<TransferService>? logger = null, TimeProvider? timeProvider = null)
    {
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _guard = new PathGuard(cluster.FileSystems);
        _resolved = new ResolvedPathGuard(_guard);
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _shell = shell ?? throw new ArgumentNullException(nameof(shell));
        ArgumentNullException.ThrowIfNull(s3ClientFactory);
        _logger = logger ?? NullLogger<TransferService>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _defaultAccounts = new DefaultAccounts(scheduler, cluster.Scheduler, _time);
        if (cluster.DataOperation.DataTransfer is { ServiceType: TransferMethod.S3 } dt)
            _s3 = new S3Staging(cluster.Name, dt, s3ClientFactory, _logger, () => _time.GetUtcNow().UtcDateTime);
    }

    /// <summary>How often the ingress job checks whether the user completed the upload (upstream: 60 s; at least 0.1 s).</summary>
    public TimeSpan IngressPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the staged object may keep a size other than the announced one before the ingress job gives up (a store
    /// may answer HEAD while it still writes the completed object; a client may have uploaded other data).
    /// </summary>
    public TimeSpan IngressStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    private DataTransferSettings S3Settings => _cluster.DataOperation.DataTransfer!;

    /// <summary>
    /// Starts an upload into the file <paramref name="path"/>: creates the S3 multipart upload, returns the public
    /// part URLs and the complete URL, and submits the ingress job that moves the object to the cluster.
    /// </summary>
    public Task<TransferResponse> StartUploadAsync(UserIdentity user, RemotePath path, long? fileSize, string? account = null,
        TransferMethod transferMethod = TransferMethod.S3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TracedAsync("upload", user, () => UploadAsync(user, path, fileSize, account, transferMethod, cancellationToken));
    }

    private async Task<TransferResponse> UploadAsync(UserIdentity user, RemotePath path, long? fileSize, string? account,
        TransferMethod transferMethod, CancellationToken cancellationToken)
    {
        if (RequireMethod(transferMethod).ServiceType == TransferMethod.Streamer)
            return await StartStreamerAsync(user, path, upload: true, account, cancellationToken).ConfigureAwait(false);
        var s3 = RequireS3(transferMethod);
        var target = _guard.Check("path", path);
        if (fileSize is null)
            throw new HpcValidationException("transferDirectives.fileSize", "Field required");
        if (fileSize <= 0)
            throw new HpcValidationException("transferDirectives.fileSize", "Input should be greater than 0");
        PathUse[] uses = [new("path", target, Variable: "target_path")];
        await CheckResolvedAsync(user, uses, cancellationToken).ConfigureAwait(false);
        var maxPart = MaxPartSize();
        var numParts = PartCount(fileSize.Value, maxPart);
        account = await AccountAsync(user, account, cancellationToken).ConfigureAwait(false);
        var directives = TransferJobDirectives.Render(_cluster.DataOperation.DatatransferJobsDirectives, account);
        var workDir = WorkDirectory(user);

        var bucket = s3.BucketOf(user);
        var key = $"{Guid.NewGuid()}/{target.Name}";
        await s3.EnsureBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        var uploadId = await s3.CreateMultipartUploadAsync(bucket, key, cancellationToken).ConfigureAwait(false);

        var partUrls = new List<string>(numParts);
        for (var p = 1; p <= numParts; p++)
            partUrls.Add(await s3.PresignAsync(true, HttpVerb.PUT, bucket, key, uploadId, p).ConfigureAwait(false));
        var completeUrl = s3.PresignComplete(true, bucket, key, uploadId);
        var getUrl = await s3.PresignAsync(false, HttpVerb.GET, bucket, key).ConfigureAwait(false);
        var headUrl = await s3.PresignAsync(false, HttpVerb.HEAD, bucket, key).ConfigureAwait(false);

        // The job gives up once the URLs expire or after wait_timeout (default 24 h), whichever comes first, and then
        // aborts the multipart upload and deletes the object, so an upload that never comes holds no node for days.
        var abortUrl = await s3.PresignAsync(false, HttpVerb.DELETE, bucket, key, uploadId).ConfigureAwait(false);
        var deleteUrl = await s3.PresignAsync(false, HttpVerb.DELETE, bucket, key).ConfigureAwait(false);
        var pollMs = Math.Max(100, (long)Math.Ceiling(IngressPollInterval.TotalMilliseconds));
        var ttlMs = Math.Min((long)S3Settings.Ttl, Math.Max(1, S3Settings.WaitTimeout)) * 1000;
        var script = JobScriptTemplate.Render("s3_ingress", new Dictionary<string, string>
        {
            ["DIRECTIVES"] = directives,
            ["PATH_GUARD"] = _resolved.Preamble(user, uses),
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
            ["HEAD_URL"] = ShellQuote.Quote(headUrl),
            ["GET_URL"] = ShellQuote.Quote(getUrl),
            ["MAX_PART_SIZE"] = Num(maxPart),
            ["PARALLEL_RUNS"] = Num(Math.Max(1, S3Settings.Multipart.ParallelRuns)),
            ["POLL_INTERVAL"] = (pollMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture),
            ["MAX_POLLS"] = Num(Math.Max(1, (ttlMs + pollMs - 1) / pollMs)),
            ["STALL_POLLS"] = Num(Math.Max(2, ((long)IngressStallTimeout.TotalMilliseconds + pollMs - 1) / pollMs)),
            ["EXPECTED_SIZE"] = Num(fileSize.Value),
            ["ABORT_URL"] = ShellQuote.Quote(abortUrl),
            ["DELETE_URL"] = ShellQuote.Quote(deleteUrl),
        });
        var job = await SubmitAsync(user, "IngressFileTransfer", script, workDir, account, cancellationToken).ConfigureAwait(false);
        TransferTelemetry.RecordBytes(_cluster.Name, "upload", fileSize.Value);
        return new TransferResponse
        {
            TransferJob = job,
            TransferDirectives = new TransferDirectives
            {
                TransferMethod = TransferMethod.S3,
                PartsUploadUrls = partUrls,
                CompleteUploadUrl = completeUrl,
                MaxPartSize = maxPart,
            },
        };
    }

    /// <summary>
    /// Starts a download of the file <paramref name="path"/>: submits the egress job that uploads it to S3 through
    /// private presigned URLs and returns the public presigned GET URL, usable once the job has finished.
    /// </summary>
    public Task<TransferResponse> StartDownloadAsync(UserIdentity user, RemotePath path, string? account = null,
        TransferMethod transferMethod = TransferMethod.S3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TracedAsync("download", user, () => DownloadAsync(user, path, account, transferMethod, cancellationToken));
    }

    private async Task<TransferResponse> DownloadAsync(UserIdentity user, RemotePath path, string? account,
        TransferMethod transferMethod, CancellationToken cancellationToken)
    {
        if (RequireMethod(transferMethod).ServiceType == TransferMethod.Streamer)
            return await StartStreamerAsync(user, path, upload: false, account, cancellationToken).ConfigureAwait(false);
        var s3 = RequireS3(transferMethod);
        var source = _guard.Check("path", path);
        account = await AccountAsync(user, account, cancellationToken).ConfigureAwait(false);
        var directives = TransferJobDirectives.Render(_cluster.DataOperation.DatatransferJobsDirectives, account);
        var workDir = WorkDirectory(user);
        var maxPart = MaxPartSize();
        PathUse[] uses = [new("path", source, Variable: "input_file")];
        var size = await StatSizeAsync(user, source, uses, cancellationToken).ConfigureAwait(false);
        var numParts = Math.Max(1, PartCount(size, maxPart));

        var bucket = s3.BucketOf(user);
        var key = $"{Guid.NewGuid()}/{source.Name}";
        await s3.EnsureBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        var uploadId = await s3.CreateMultipartUploadAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        var partUrls = new List<string>(numParts);
        for (var p = 1; p <= numParts; p++)
            partUrls.Add(await s3.PresignAsync(false, HttpVerb.PUT, bucket, key, uploadId, p).ConfigureAwait(false));
        var completeUrl = s3.PresignComplete(false, bucket, key, uploadId);
        var headUrl = await s3.PresignAsync(false, HttpVerb.HEAD, bucket, key).ConfigureAwait(false);
        var downloadUrl = await s3.PresignAsync(true, HttpVerb.GET, bucket, key).ConfigureAwait(false);

        var multipart = S3Settings.Multipart;
        var script = JobScriptTemplate.Render("s3_egress", new Dictionary<string, string>
        {
            ["DIRECTIVES"] = directives,
            ["PATH_GUARD"] = _resolved.Preamble(user, uses),
            ["INPUT_FILE"] = ShellQuote.Quote(source.Value),
            ["COMPLETE_URL"] = ShellQuote.Quote(completeUrl),
            ["HEAD_URL"] = ShellQuote.Quote(headUrl),
            ["PARTS_URLS"] = ShellQuote.Join(partUrls),
            ["NUM_PARTS"] = Num(numParts),
            ["MAX_PART_SIZE"] = Num(maxPart),
            ["PARALLEL_RUNS"] = Num(Math.Max(1, multipart.ParallelRuns)),
            ["USE_SPLIT"] = multipart.UseSplit ? "true" : "false",
            ["TMP_FOLDER"] = ShellQuote.Quote($"{(string.IsNullOrEmpty(multipart.TmpFolder) ? "tmp" : multipart.TmpFolder.TrimEnd('/'))}/{Guid.NewGuid()}"),
        });
        var job = await SubmitAsync(user, "OutgressFileTransfer", script, workDir, account, cancellationToken).ConfigureAwait(false);
        TransferTelemetry.RecordBytes(_cluster.Name, "download", size);
        return new TransferResponse
        {
            TransferJob = job,
            TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.S3, DownloadUrl = downloadUrl },
        };
    }

    /// <summary>
    /// Starts a streamer transfer (upload: the job receives into <paramref name="path"/>; download: it sends it): refuses
    /// an existing target (403) or a missing source (404) before anything is submitted, submits the job that runs the
    /// streamer with a fresh secret, and returns the coordinates the client connects to.
    /// </summary>
    private async Task<TransferResponse> StartStreamerAsync(UserIdentity user, RemotePath path, bool upload, string? account, CancellationToken ct)
    {
        var settings = _cluster.DataOperation.DataTransfer!;
        var file = _guard.Check("path", path);
        PathUse[] uses = [new("path", file, Variable: "file_path")];
        if (upload) await RequireAbsentAsync(user, file, uses, ct).ConfigureAwait(false);
        else await StatSizeAsync(user, file, uses, ct).ConfigureAwait(false);
        account = await AccountAsync(user, account, ct).ConfigureAwait(false);
        var directives = TransferJobDirectives.Render(_cluster.DataOperation.DatatransferJobsDirectives, account);
        var workDir = WorkDirectory(user);

        var host = string.IsNullOrWhiteSpace(settings.Host) ? "localhost" : settings.Host;
        IReadOnlyList<string> ips = settings.PublicIps.Count > 0 ? settings.PublicIps : [host is "0.0.0.0" or "::" ? "localhost" : host];
        var coordinates = new StreamerCoordinates([settings.PortRange[0], settings.PortRange[1]], ips, StreamerCoordinates.NewSecret());
        var script = JobScriptTemplate.Render("streamer", new Dictionary<string, string>
        {
            ["DIRECTIVES"] = directives,
            ["PATH_GUARD"] = _resolved.Preamble(user, uses),
            ["FILE_PATH"] = ShellQuote.Quote(file.Value),
            ["MODE"] = upload ? "receive" : "send",
            ["SECRET"] = ShellQuote.Quote(coordinates.Secret),
            ["HOST"] = ShellQuote.Quote(host),
            ["FIRST_PORT"] = Num(settings.PortRange[0]),
            ["LAST_PORT"] = Num(settings.PortRange[1]),
            ["PUBLIC_IPS"] = ShellQuote.Join(ips),
            ["WAIT_TIMEOUT"] = Num(settings.WaitTimeout),
            ["INBOUND_LIMIT"] = Num(settings.InboundTransferLimit),
            ["STREAMER_PATH"] = ShellQuote.Quote(settings.StreamerPath ?? ""),
            ["PYPI_INDEX_URL"] = ShellQuote.Quote(settings.PypiIndexUrl ?? ""),
        });
        var job = await SubmitAsync(user, upload ? "IngressFileTransfer" : "OutgressFileTransfer", script, workDir, account, ct).ConfigureAwait(false);
        return new TransferResponse
        {
            TransferJob = job,
            TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.Streamer, Coordinates = coordinates.Encode() },
        };
    }

    /// <summary>403 "Target file '…' already exists." (as upstream) when <paramref name="file"/> exists, even as a dangling link.</summary>
    private async Task RequireAbsentAsync(UserIdentity user, RemotePath file, IReadOnlyList<PathUse> uses, CancellationToken ct)
    {
        var quoted = ShellQuote.Quote(file.Value);
        var command = new RemoteCommand($"test -e {quoted} || test -L {quoted}")
        {
            Guard = _resolved.CommandGuard(user, uses.Select(u => u with { Variable = null }).ToList()),
        };
        var result = await _shell.RunAsync(_cluster.Name, user, command, ct).ConfigureAwait(false);
        if (ResolvedPathGuard.ReadRefusal(result.ExitStatus, result.Stderr) is { } refused) throw refused;
        if (result.ExitStatus == 0) throw new HpcException(HpcErrorKind.PermissionDenied, $"Target file '{file}' already exists.");
        if (result.ExitStatus != 1) throw RemoteErrorMapper.ToException(result);
    }

    /// <summary>Moves <paramref name="sourcePath"/> to <paramref name="targetPath"/> in a job; moving a root (<see cref="ProtectedPaths"/>) away is refused.</summary>
    public Task<TransferJob> MoveAsync(UserIdentity user, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default)
    {
        var source = _guard.Check("sourcePath", sourcePath);
        var target = _guard.Check("targetPath", targetPath);
        ProtectedPaths.EnsureNotRoot(_guard, user, source, "move");
        PathUse[] uses = [new("sourcePath", source, PathResolution.Entry, true, "source_path"), new("targetPath", target, Variable: "target_path")];
        return SubmitTemplateAsync(user, "MoveFiles", "move", account, uses, new()
        {
            ["SOURCE_PATH"] = ShellQuote.Quote(source.Value),
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
        }, cancellationToken);
    }

    /// <summary>Copies <paramref name="sourcePath"/> (recursively) to <paramref name="targetPath"/> in a job.</summary>
    public Task<TransferJob> CopyAsync(UserIdentity user, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default)
    {
        var source = _guard.Check("sourcePath", sourcePath);
        var target = _guard.Check("targetPath", targetPath);
        PathUse[] uses = [new("sourcePath", source, dereference ? PathResolution.Follow : PathResolution.Entry, Variable: "source_path"), new("targetPath", target, Variable: "target_path")];
        return SubmitTemplateAsync(user, "CopyFiles", "copy", account, uses, new()
        {
            ["SOURCE_PATH"] = ShellQuote.Quote(source.Value),
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
            ["DEREFERENCE"] = dereference ? "true" : "false",
        }, cancellationToken);
    }

    /// <summary>Removes <paramref name="path"/> (recursively) in a job; a root (<see cref="ProtectedPaths"/>) is refused.</summary>
    public Task<TransferJob> RemoveAsync(UserIdentity user, RemotePath path, string? account = null, CancellationToken cancellationToken = default)
    {
        var target = _guard.Check("path", path);
        ProtectedPaths.EnsureNotRoot(_guard, user, target, "remove");
        PathUse[] uses = [new("path", target, PathResolution.Entry, true, "target_path")];
        return SubmitTemplateAsync(user, "DeleteFiles", "delete", account, uses, new()
        {
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
        }, cancellationToken);
    }

    /// <summary>Writes a tar archive of <see cref="CompressRequest.SourcePath"/> in a job.</summary>
    public Task<TransferJob> CompressAsync(UserIdentity user, CompressRequest request, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _guard.Check("sourcePath", request.SourcePath);
        var target = _guard.Check("targetPath", request.TargetPath);
        var (sourceDir, sourceName) = (source.Parent.Value, source.IsRoot ? "." : source.Name);
        PathUse[] uses = [new("sourcePath", source, request.Dereference ? PathResolution.Follow : PathResolution.Entry, Variable: "source_path"), new("targetPath", target, Variable: "target_path")];
        return SubmitTemplateAsync(user, "CompressFiles", "compress", account, uses, new()
        {
            ["SOURCE_PATH"] = ShellQuote.Quote(source.Value),
            ["SOURCE_DIR"] = ShellQuote.Quote(sourceDir),
            ["SOURCE_NAME"] = ShellQuote.Quote(sourceName),
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
            ["MATCH_PATTERN"] = ShellQuote.Quote(request.MatchPattern ?? ""),
            ["DEREFERENCE"] = request.Dereference ? "true" : "false",
            ["COMPRESSION_FLAG"] = ShellQuote.Quote(CompressionFlag(request.Compression)),
        }, cancellationToken);
    }

    /// <summary>Extracts the archive <see cref="ExtractRequest.SourcePath"/> into the directory <see cref="ExtractRequest.TargetPath"/> in a job.</summary>
    public Task<TransferJob> ExtractAsync(UserIdentity user, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _guard.Check("sourcePath", request.SourcePath);
        var target = _guard.Check("targetPath", request.TargetPath);
        PathUse[] uses = [new("sourcePath", source, Variable: "source_path"), new("targetPath", target, Variable: "target_path")];
        return SubmitTemplateAsync(user, "CompressFiles", "extract", account, uses, new()
        {
            ["SOURCE_PATH"] = ShellQuote.Quote(source.Value),
            ["TARGET_PATH"] = ShellQuote.Quote(target.Value),
            ["COMPRESSION_FLAG"] = ShellQuote.Quote(CompressionFlag(request.Compression)),
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => _s3?.Dispose();

    /// <summary>Number of parts of <paramref name="size"/> bytes in parts of <paramref name="maxPartSize"/>: ceil(size / max).</summary>
    public static int PartCount(long size, long maxPartSize)
    {
        var parts = size / maxPartSize + (size % maxPartSize == 0 ? 0 : 1);
        return parts > MaxParts
            ? throw new HpcException(HpcErrorKind.InvalidArgument,
                $"The file needs {parts} parts of {maxPartSize} bytes; S3 allows at most {MaxParts}.")
            : (int)parts;
    }

    private Task<TransferJob> SubmitTemplateAsync(UserIdentity user, string jobName, string template, string? account,
        IReadOnlyList<PathUse> uses, Dictionary<string, string> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TracedAsync(template, user, () => SubmitTemplateCoreAsync(user, jobName, template, account, uses, values, ct));
    }

    /// <summary>
    /// Runs one transfer operation under its span (<c>transfer &lt;kind&gt;</c>) and records its staging time; the S3,
    /// scheduler and SSH spans of the operation are its children.
    /// </summary>
    private async Task<T> TracedAsync<T>(string kind, UserIdentity user, Func<Task<T>> operation)
    {
        using var span = TransferTelemetry.Start(kind, _cluster.Name, user.Username);
        var started = _time.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await operation().ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (Exception e)
        {
            span.Fail(e);
            throw;
        }
        finally
        {
            TransferTelemetry.RecordDuration(_cluster.Name, kind, outcome, _time.GetElapsedTime(started));
        }
    }

    private async Task<TransferJob> SubmitTemplateCoreAsync(UserIdentity user, string jobName, string template, string? account,
        IReadOnlyList<PathUse> uses, Dictionary<string, string> values, CancellationToken ct)
    {
        await CheckResolvedAsync(user, uses, ct).ConfigureAwait(false);
        values["PATH_GUARD"] = _resolved.Preamble(user, uses);
        account = await AccountAsync(user, account, ct).ConfigureAwait(false);
        values["DIRECTIVES"] = TransferJobDirectives.Render(_cluster.DataOperation.DatatransferJobsDirectives, account);
        var workDir = WorkDirectory(user);
        var script = JobScriptTemplate.Render(template, values);
        return await SubmitAsync(user, jobName, script, workDir, account, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The request's account, or (beyond upstream) the user's default account when the directives need one and the
    /// request names none; still none leaves <see cref="TransferJobDirectives.Render"/> to refuse with 400.
    /// </summary>
    private async Task<string?> AccountAsync(UserIdentity user, string? account, CancellationToken ct) =>
        TransferJobDirectives.NeedAccount(_cluster.DataOperation.DatatransferJobsDirectives)
            ? await _defaultAccounts.ResolveAsync(user, account, ct).ConfigureAwait(false)
            : account;

    private async Task<TransferJob> SubmitAsync(UserIdentity user, string jobName, string script, string workDir, string? account, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString();
        var logs = new TransferJobLogs
        {
            OutputLog = $"{workDir}/.f7t_file_handling_job_{id}.log",
            ErrorLog = $"{workDir}/.f7t_file_handling_job_error_{id}.log",
        };
        var directivesCarryAccount = TransferJobDirectives.NeedAccount(_cluster.DataOperation.DatatransferJobsDirectives);
        if (!directivesCarryAccount && !string.IsNullOrEmpty(account)) TransferJobDirectives.CheckAccount(account);
        var description = new JobDescription
        {
            Name = jobName,
            WorkingDirectory = workDir,
            StandardInput = "/dev/null",
            StandardOutput = logs.OutputLog,
            StandardError = logs.ErrorLog,
            Env = new Dictionary<string, string> { ["PATH"] = JobPath },
            Script = script,
            Account = directivesCarryAccount || string.IsNullOrEmpty(account) ? null : account,
        };
        var jobId = await _scheduler.SubmitJobAsync(user, description, ct).ConfigureAwait(false);
        _logger.LogInformation("Submitted transfer job {JobName} {JobId} for {User} on {System}.", jobName, jobId, user.Username, _cluster.Name);
        return new TransferJob { JobId = jobId, System = _cluster.Name, WorkingDirectory = workDir, Logs = logs };
    }

    /// <summary>The system's data transfer service when it serves <paramref name="transferMethod"/>; else 400 as upstream.</summary>
    private DataTransferSettings RequireMethod(TransferMethod transferMethod)
    {
        var configured = _cluster.DataOperation.DataTransfer;
        return configured is null || transferMethod != configured.ServiceType
            ? throw new HpcException(HpcErrorKind.InvalidArgument, "Requested transfer method is not available.")
            : configured;
    }

    private S3Staging RequireS3(TransferMethod transferMethod)
    {
        var configured = RequireMethod(transferMethod);
        if (configured.ServiceType == TransferMethod.Wormhole)
            throw new HpcException(HpcErrorKind.NotImplemented, WormholeNotSupported);
        return _s3 ?? throw new HpcException(HpcErrorKind.NotImplemented, $"Transfer method '{WireNames.Of(configured.ServiceType)}' is not supported by this server.");
    }

    private long MaxPartSize()
    {
        var max = S3Settings.Multipart.MaxPartSize;
        return max > 0 ? max : throw new HpcException(HpcErrorKind.Internal, "data_transfer.multipart.max_part_size must be positive.");
    }

    private string WorkDirectory(UserIdentity user)
    {
        var fs = _cluster.FileSystems.FirstOrDefault(f => f.DefaultWorkDir)
            ?? throw new HpcException(HpcErrorKind.Internal, $"No file system of system '{_cluster.Name}' has default_work_dir set; transfer jobs need one.");
        if (string.IsNullOrEmpty(user.Username) || user.Username.Contains('/') || user.Username is "." or "..")
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid user name '{user.Username}'.");
        var root = fs.Path.TrimEnd('/');
        return $"{root}/{user.Username}";
    }

    /// <summary>Resolves the paths on the cluster now, so that a refused path is a 403 before anything is staged or submitted.</summary>
    private async Task CheckResolvedAsync(UserIdentity user, IReadOnlyList<PathUse> uses, CancellationToken ct)
    {
        var guard = _resolved.CommandGuard(user, uses.Select(u => u with { Variable = null }).ToList());
        var result = await _shell.RunAsync(_cluster.Name, user, new RemoteCommand("true") { Guard = guard }, ct).ConfigureAwait(false);
        if (result.ExitStatus != 0) throw RemoteErrorMapper.ToException(result);
    }

    private async Task<long> StatSizeAsync(UserIdentity user, RemotePath path, IReadOnlyList<PathUse> uses, CancellationToken ct)
    {
        var command = new RemoteCommand($"stat --dereference -c '%f %i %d %h %u %g %s %X %Y %Z' -- {ShellQuote.Quote(path.Value)}")
        {
            Guard = _resolved.CommandGuard(user, uses.Select(u => u with { Variable = null }).ToList()),
        };
        var result = await _shell.RunAsync(_cluster.Name, user, command, ct).ConfigureAwait(false);
        if (ResolvedPathGuard.ReadRefusal(result.ExitStatus, result.Stderr) is { } refused) throw refused;
        if (result.ExitStatus != 0)
        {
            var err = result.Stderr.Trim();
            var kind = RemoteErrorClassifier.Classify(result.ExitStatus, err);
            throw new HpcException(kind, $"Unable to stat '{path}': {err}") { ExitStatus = result.ExitStatus, Stderr = result.Stderr, CausedBy = [err] };
        }
        var fields = result.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 7
            || !int.TryParse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mode)
            || !long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new HpcException(HpcErrorKind.Internal, $"Unexpected stat output for '{path}': {result.Stdout.Trim()}");
        if ((mode & 0xF000) == 0x4000)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"'{path}' is a directory; only files can be downloaded.");
        return size;
    }

    private static string CompressionFlag(CompressionType c) => c switch
    {
        CompressionType.Gzip => "-z",
        CompressionType.Bzip2 => "-j",
        CompressionType.Xz => "-J",
        CompressionType.None => "",
        _ => throw new HpcException(HpcErrorKind.InvalidArgument, $"Unknown compression '{c}'."),
    };

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
