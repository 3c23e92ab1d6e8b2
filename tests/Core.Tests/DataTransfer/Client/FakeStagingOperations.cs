using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Tests.DataTransfer.Client;

/// <summary>
/// A FirecREST server and S3 store in memory for <c>FileTransferClient</c>: status reports max_ops_file_size,
/// transfer/upload hands out part URLs of <see cref="PartSize"/>, the HTTP handler stores PUT parts and assembles
/// them on Complete, the ingress job is PENDING until Complete, then COMPLETED (or <see cref="JobState"/>), checksum is computed from the stored object
/// (or <see cref="ChecksumOverride"/>). <see cref="FailPuts"/> makes the next PUTs answer 503.
/// </summary>
internal sealed class FakeStagingOperations : HttpMessageHandler, IHpcOperations, IStatusOperations, IComputeOperations, IFilesystemOperations, ITransferOperations
{
    private readonly ConcurrentDictionary<int, byte[]> _parts = new();
    private int _failPuts;
    private volatile bool _completed = true;

    public long MaxOps { get; set; } = 10;
    public long PartSize { get; set; } = 100;
    public byte[] Object { get; set; } = [];
    public string JobState { get; set; } = "COMPLETED";
    public string? ChecksumOverride { get; set; }
    public int PutAttempts;
    public int StartUploads;
    public string? LastCompleteXml;

    public int FailPuts { set => _failPuts = value; }

    /// <summary>The system's data transfer service in the status answer (null: none).</summary>
    public TransferMethod? ServiceType { get; set; }

    /// <summary>Where streamer transfers point the client (their coordinates); null: streamer routes are not served.</summary>
    public Firecrest.Core.DataTransfer.StreamerCoordinates? StreamerAt { get; set; }

    /// <summary>Remote paths that do not exist (stat answers 404).</summary>
    public HashSet<string> Absent { get; } = [];

    /// <summary>Moves asked for (source, target).</summary>
    public List<(string Source, string Target)> Moves { get; } = [];

    /// <summary>Text of every tailed log (the transfer job's); null: a curl error line.</summary>
    public Func<string>? Log { get; set; }

    public IStatusOperations Status => this;
    public IComputeOperations Compute => this;
    public IFilesystemOperations Files => this;
    public ITransferOperations Transfers => this;

    // --- HTTP side (presigned URLs) ---
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (request.Method == HttpMethod.Put)
        {
            Interlocked.Increment(ref PutAttempts);
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            if (Interlocked.Decrement(ref _failPuts) >= 0) return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            var n = int.Parse(uri.AbsolutePath.Split('/')[^1]);
            _parts[n] = body;
            var r = new HttpResponseMessage(HttpStatusCode.OK);
            r.Headers.TryAddWithoutValidation("ETag", $"\"etag-{n}\"");
            return r;
        }
        if (request.Method == HttpMethod.Post)
        {
            _completed = true;
            LastCompleteXml = await request.Content!.ReadAsStringAsync(cancellationToken);
            Object = _parts.OrderBy(p => p.Key).SelectMany(p => p.Value).ToArray();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<CompleteMultipartUploadResult/>") };
        }
        var range = request.Headers.Range!.Ranges.Single();
        var slice = Object.AsSpan((int)range.From!.Value, (int)(range.To!.Value - range.From.Value + 1)).ToArray();
        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(slice) };
    }

    // --- status ---
    public Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HpcSystem>>([new HpcSystem { Name = "fake", DataOperation = new HpcDataOperation { MaxOpsFileSize = MaxOps, DataTransfer = ServiceType is { } t ? new HpcDataTransfer { ServiceType = t } : null } }]);
    public Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    // --- compute ---
    /// <summary>Job polls answered RUNNING before the job is reported in its final state (after Complete).</summary>
    public int RunningPolls { get; set; }

    /// <summary>While it returns true the job stays RUNNING (as a streamer job does until its streamer exits); null = no such wait.</summary>
    public Func<bool>? StillRunning { get; set; }

    /// <summary>Job polls so far.</summary>
    public int JobPolls;

    public Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        var poll = Interlocked.Increment(ref JobPolls);
        var state = !_completed ? "PENDING" : poll <= RunningPolls || StillRunning?.Invoke() == true ? "RUNNING" : JobState;
        return Task.FromResult<IReadOnlyList<Job>>([new Job { JobId = jobId, Status = new JobStatus { State = state } }]);
    }
    public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    /// <summary>Jobs cancelled, as system/id.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();

    public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        Cancelled.Enqueue($"{system}/{jobId}");
        return Task.CompletedTask;
    }

    // --- files ---
    public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        Task.FromResult(new FileChecksum { Checksum = ChecksumOverride ?? Convert.ToHexString(SHA256.HashData(Object)).ToLowerInvariant() });
    public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default) =>
        Absent.Contains(path.Value) ? throw new HpcException(HpcErrorKind.NotFound, $"No such file or directory: {path}") : Task.FromResult(path.Value.EndsWith(".bin", StringComparison.Ordinal)
            ? new FileStat { Mode = 0x81A4, Size = Object.Length, Mtime = 1 }
            : new FileStat { Mode = 0x41ED });
    public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default) =>
        Task.FromResult(new FileContent { Content = Log?.Invoke() ?? "curl: (7) Failed to connect" });
    public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => Task.FromResult(Object);
    public async Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream();
        await content.CopyToAsync(ms, cancellationToken);
        Object = ms.ToArray();
    }
    public Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    // --- transfers ---
    public Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref StartUploads);
        _parts.Clear();
        _completed = false;
        var count = (int)((fileSize + PartSize - 1) / PartSize);
        return Task.FromResult(new TransferResponse
        {
            TransferJob = new TransferJob { JobId = "42", Logs = new TransferJobLogs { ErrorLog = "/err.log" } },
            TransferDirectives = new TransferDirectives
            {
                PartsUploadUrls = Enumerable.Range(1, count).Select(i => $"http://s3.fake/part/{i}").ToList(),
                CompleteUploadUrl = "http://s3.fake/complete",
                MaxPartSize = PartSize,
            },
        });
    }
    public Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new TransferResponse
        {
            TransferJob = new TransferJob { JobId = "43", Logs = new TransferJobLogs { ErrorLog = "/err.log" } },
            TransferDirectives = new TransferDirectives { DownloadUrl = "http://s3.fake/object" },
        });
    public Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => StreamerAnswer("45");
    public Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => StreamerAnswer("46");

    private Task<TransferResponse> StreamerAnswer(string jobId) =>
        StreamerAt is { } at
            ? Task.FromResult(new TransferResponse
            {
                TransferJob = new TransferJob { JobId = jobId, Logs = new TransferJobLogs { OutputLog = "/out.log", ErrorLog = "/err.log" } },
                TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.Streamer, Coordinates = at.Encode() },
            })
            : throw new NotSupportedException();
    public Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default)
    {
        lock (Moves) Moves.Add((sourcePath.Value, targetPath.Value));
        return Task.FromResult(new TransferJob { JobId = "47", Logs = new TransferJobLogs { OutputLog = "/mv.log", ErrorLog = "/mv.err" } });
    }
    public Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
