using System.Collections.Concurrent;
using Firecrest.Core;
using Firecrest.Core.Engine;
using Firecrest.Core.Json;
using Firecrest.Core.Idempotency;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Server.Tests.Infrastructure;

/// <summary>An engine double: records calls, answers with canned data, throws what a test asks for.</summary>
public sealed class FakeEngine : IHpcEngine, IHealthState
{
    public ConcurrentQueue<(string Method, UserIdentity User, object?[] Args)> Calls { get; } = new();
    public ConcurrentDictionary<string, Exception> Failures { get; } = new();
    public HashSet<(string System, string Service)> Unhealthy { get; } = [];
    public Dictionary<string, DateTimeOffset> Runs { get; } = [];
    public ConcurrentDictionary<string, IReadOnlyList<ServiceHealth>> Results { get; } = new();
    public List<Node> Nodes { get; set; } = [new Node { Name = "nid01", State = ["IDLE"], Partitions = ["debug"], Cpus = 4 }];
    /// <summary>When set, every submit waits for this task (a test holds submits in flight with it).</summary>
    public Task? SubmitGate { get; set; }

    /// <summary>Completed when the first submit has started.</summary>
    public TaskCompletionSource SubmitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IdempotentSubmitter Submits { get; } = new(new InMemoryIdempotencyStore(TimeProvider.System));
    private int _nextJob = 100;

    public IHealthState Health => this;
    public IReadOnlyDictionary<string, DateTimeOffset> LastRuns => Runs;
    public IReadOnlyList<ServiceHealth>? GetResults(string system) => Results.GetValueOrDefault(system);
    public bool IsHealthy(string system, HealthServiceType serviceType, string? path = null) => !Unhealthy.Contains((system, WireNames.Of(serviceType)));
    public IHpcOperations ForUser(UserIdentity user) => new Ops(this, user);

    public int Count(string method) => Calls.Count(c => c.Method == method);
    public (string Method, UserIdentity User, object?[] Args) Last(string method) => Calls.Last(c => c.Method == method);

    internal void Record(string method, UserIdentity user, params object?[] args)
    {
        Calls.Enqueue((method, user, args));
        if (Failures.TryGetValue(method, out var ex)) throw ex;
    }

    internal string NextJobId() => Interlocked.Increment(ref _nextJob).ToString();

    public static RemoteFile File(string name) => new()
    {
        Name = name, Type = "-", User = "fireuser", Group = "fireuser", Permissions = "rw-r--r--", LastModified = "2026-01-01T00:00:00", Size = "3",
    };

    public static TransferJob TransferJob(string system) => new()
    {
        JobId = "77", System = system, WorkingDirectory = "/home/fireuser",
        Logs = new TransferJobLogs { OutputLog = "/home/fireuser/.f7t_file_handling_job_x.log", ErrorLog = "/home/fireuser/.f7t_file_handling_job_error_x.log" },
    };

    private sealed class Ops(FakeEngine e, UserIdentity u) : IHpcOperations, IStatusOperations, IComputeOperations, IFilesystemOperations, ITransferOperations
    {
        public IStatusOperations Status => this;
        public IComputeOperations Compute => this;
        public IFilesystemOperations Files => this;
        public ITransferOperations Transfers => this;

        public Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken ct = default) { e.Record("GetSystems", u); return Task.FromResult<IReadOnlyList<HpcSystem>>([]); }
        public Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken ct = default) { e.Record("GetNodes", u, system); return Task.FromResult<IReadOnlyList<Node>>(e.Nodes); }
        public Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken ct = default)
        { e.Record("GetPartitions", u, system, showHidden); return Task.FromResult<IReadOnlyList<Partition>>([new Partition { Name = "debug", Cpus = 4, TotalNodes = 1, PartitionState = "UP" }]); }
        public Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken ct = default)
        { e.Record("GetReservations", u, system); return Task.FromResult<IReadOnlyList<Reservation>>([new Reservation { Name = "maint", NodeList = "nid01", StartTime = 1, EndTime = 2, State = "active" }]); }
        public Task<UserInfo> GetUserInfoAsync(string system, CancellationToken ct = default)
        {
            e.Record("GetUserInfo", u, system);
            return Task.FromResult(new UserInfo
            {
                User = new IdName { Id = "1000", Name = u.Username }, Group = new IdName { Id = "1000", Name = u.Username },
                Groups = [new IdName { Id = "1000", Name = u.Username }], Accounts = [new SchedulerAccount { Name = "hpcproj", Default = true }],
            });
        }

        // Keys go through the engine's own submit-once component, as in FirecrestEngine.
        public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken ct = default)
        {
            async Task<string> Submit(CancellationToken token)
            {
                e.Record("SubmitJob", u, system, job, idempotencyKey);
                e.SubmitStarted.TrySetResult();
                if (e.SubmitGate is { } gate) await gate.WaitAsync(token);
                return e.NextJobId();
            }
            return idempotencyKey is null ? Submit(ct) : e.Submits.SubmitAsync(new IdempotencyKey(u.Username, system, idempotencyKey), job, Submit, ct);
        }
        public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken ct = default)
        { e.Record("GetJobs", u, system, query); return Task.FromResult<IReadOnlyList<Job>>([Sample("42")]); }
        public Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken ct = default)
        { e.Record("GetJob", u, system, jobId.Value); return Task.FromResult<IReadOnlyList<Job>>([Sample(jobId)]); }
        public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken ct = default)
        { e.Record("GetJobMetadata", u, system, jobId.Value); return Task.FromResult<IReadOnlyList<JobMetadata>>([new JobMetadata { JobId = jobId, Script = "#!/bin/bash", StandardOutput = "/home/fireuser/out" }]); }
        public Task AttachAsync(string system, JobId jobId, string command, CancellationToken ct = default) { e.Record("Attach", u, system, jobId.Value, command); return Task.CompletedTask; }
        public Task CancelJobAsync(string system, JobId jobId, CancellationToken ct = default) { e.Record("CancelJob", u, system, jobId.Value); return Task.CompletedTask; }

        public Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken ct = default)
        { e.Record("List", u, system, path.Value, options); return Task.FromResult<IReadOnlyList<RemoteFile>>([File("a.txt")]); }
        public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken ct = default)
        { e.Record("Head", u, system, path.Value, bytes, lines, skipTrailing); return Task.FromResult(new FileContent { Content = "abc", ContentType = "lines", StartPosition = 0, EndPosition = 10 }); }
        public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken ct = default)
        { e.Record("Tail", u, system, path.Value, bytes, lines, skipHeading); return Task.FromResult(new FileContent { Content = "xyz", ContentType = "lines", StartPosition = -10, EndPosition = -1 }); }
        public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken ct = default)
        { e.Record("View", u, system, path.Value, size, offset); return Task.FromResult("text"); }
        public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken ct = default)
        { e.Record("Checksum", u, system, path.Value); return Task.FromResult(new FileChecksum { Checksum = "ab12" }); }
        public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken ct = default) { e.Record("FileType", u, system, path.Value); return Task.FromResult("ASCII text"); }
        public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken ct = default)
        { e.Record("Stat", u, system, path.Value, dereference); return Task.FromResult(new FileStat { Mode = 33188, Size = 3, Uid = 1000 }); }
        public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken ct = default)
        { e.Record("Mkdir", u, system, path.Value, parent); return Task.FromResult(File(path.Value)); }
        public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken ct = default)
        { e.Record("Symlink", u, system, path.Value, linkPath.Value); return Task.FromResult(File(linkPath.Value)); }
        public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken ct = default)
        { e.Record("Chmod", u, system, path.Value, mode); return Task.FromResult(File(path.Value)); }
        public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken ct = default)
        { e.Record("Chown", u, system, path.Value, owner, group); return Task.FromResult(File(path.Value)); }
        public Task RemoveAsync(string system, RemotePath path, CancellationToken ct = default) { e.Record("Rm", u, system, path.Value); return Task.CompletedTask; }
        public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken ct = default) { e.Record("Download", u, system, path.Value); return Task.FromResult("hello"u8.ToArray()); }
        public async Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken ct = default)
        {
            using var reader = new StreamReader(content);
            var text = await reader.ReadToEndAsync(ct);
            e.Record("Upload", u, system, directory.Value, fileName, text);
        }
        public Task CompressAsync(string system, CompressRequest request, CancellationToken ct = default) { e.Record("Compress", u, system, request); return Task.CompletedTask; }
        public Task ExtractAsync(string system, ExtractRequest request, CancellationToken ct = default) { e.Record("Extract", u, system, request); return Task.CompletedTask; }

        public Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken ct = default)
        {
            e.Record("TransferUpload", u, system, path.Value, fileSize, account);
            return Task.FromResult(new TransferResponse
            {
                TransferJob = TransferJob(system),
                TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.S3, PartsUploadUrls = ["http://s3/part1"], CompleteUploadUrl = "http://s3/complete", MaxPartSize = 1024 },
            });
        }
        public Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken ct = default)
        {
            e.Record("TransferDownload", u, system, path.Value, account);
            return Task.FromResult(new TransferResponse { TransferJob = TransferJob(system), TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.S3, DownloadUrl = "http://s3/get" } });
        }
        public Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken ct = default)
        {
            e.Record("TransferStreamerUpload", u, system, path.Value, account);
            return Task.FromResult(new TransferResponse { TransferJob = TransferJob(system), TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.Streamer, Coordinates = "c3RyZWFtZXI=" } });
        }
        public Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken ct = default)
        {
            e.Record("TransferStreamerDownload", u, system, path.Value, account);
            return Task.FromResult(new TransferResponse { TransferJob = TransferJob(system), TransferDirectives = new TransferDirectives { TransferMethod = TransferMethod.Streamer, Coordinates = "c3RyZWFtZXI=" } });
        }
        public Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken ct = default)
        { e.Record("TransferMv", u, system, sourcePath.Value, targetPath.Value, account); return Task.FromResult(TransferJob(system)); }
        public Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken ct = default)
        { e.Record("TransferCp", u, system, sourcePath.Value, targetPath.Value, dereference, account); return Task.FromResult(TransferJob(system)); }
        public Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken ct = default)
        { e.Record("TransferRm", u, system, path.Value, account); return Task.FromResult(TransferJob(system)); }
        public Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken ct = default)
        { e.Record("TransferCompress", u, system, request, account); return Task.FromResult(TransferJob(system)); }
        public Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken ct = default)
        { e.Record("TransferExtract", u, system, request, account); return Task.FromResult(TransferJob(system)); }

        private static Job Sample(string id) => new()
        {
            JobId = id, Name = "test", Status = new JobStatus { State = "COMPLETED", ExitCode = 0 }, Time = new JobTime { Elapsed = 1, Limit = 60 },
            Account = "hpcproj", User = "fireuser", Partition = "debug", Nodes = "nid01", AllocationNodes = 1,
        };
    }
}
