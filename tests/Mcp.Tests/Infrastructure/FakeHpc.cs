using System.Collections.Concurrent;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>An in-memory HPC system "alps" with files and jobs, for tool tests without a cluster.</summary>
public sealed class FakeHpc : IHpcOperations, IStatusOperations, IComputeOperations, IFilesystemOperations, ITransferOperations
{
    /// <summary>Files by absolute path; directories are the keys ending in '/'.</summary>
    public ConcurrentDictionary<string, string> FilesByPath { get; } = new(StringComparer.Ordinal);

    /// <summary>Jobs by id.</summary>
    public ConcurrentDictionary<string, (Job Job, JobMetadata Meta)> Jobs { get; } = new();

    /// <summary>Every operation called, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>States a job goes through on successive GetJobAsync calls.</summary>
    public Queue<string> NextStates { get; } = new();

    /// <summary>GetJobAsync calls answered "not found" before jobs are listed (a scheduler slow to publish a new job).</summary>
    public int UnlistedPolls { get; set; }

    /// <summary>GetJobAsync calls so far.</summary>
    public int JobPolls => Volatile.Read(ref _jobPolls);

    private int _nextId = 100;
    private int _jobPolls;

    public IStatusOperations Status => this;
    public IComputeOperations Compute => this;
    public IFilesystemOperations Files => this;
    public ITransferOperations Transfers => this;

    private void Check(string system)
    {
        if (system != "alps") throw new HpcException(HpcErrorKind.NotFound, $"System '{system}' not found");
    }

    private string Read(string path) => FilesByPath.TryGetValue(path, out var c) ? c
        : throw new HpcException(HpcErrorKind.NotFound, $"{path}: No such file or directory");

    public Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HpcSystem>>([
            new HpcSystem { Name = "alps", Scheduler = new HpcSystemScheduler { Type = "slurm" }, FileSystems = [new HpcFileSystem { Path = "/home", DefaultWorkDir = true }],
                ServicesHealth = [new ServiceHealth { ServiceType = HealthServiceType.Scheduler, Healthy = true }] },
            new HpcSystem { Name = "eiger", Scheduler = new HpcSystemScheduler { Type = "pbs" }, ServicesHealth = [new ServiceHealth { ServiceType = HealthServiceType.Ssh, Healthy = false, Message = "down" }] },
        ]);

    public Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default)
    {
        Check(system);
        return Task.FromResult<IReadOnlyList<Node>>([new Node { State = ["IDLE"] }, new Node { State = ["IDLE"] }, new Node { State = ["ALLOCATED"] }]);
    }

    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default)
    {
        Check(system);
        return Task.FromResult<IReadOnlyList<Partition>>([new Partition { Name = "debug", TotalNodes = 2 }, new Partition { Name = "long", TotalNodes = 1 }]);
    }

    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Reservation>>([]);

    public Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default)
    {
        Check(system);
        return Task.FromResult(new UserInfo
        {
            User = new IdName { Id = "1001", Name = "fireuser" }, Group = new IdName { Id = "1001", Name = "fireuser" },
            Groups = [new IdName { Id = "2001", Name = "hpcproj" }], Accounts = [new SchedulerAccount { Name = "hpcproj", Default = true }],
        });
    }

    public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Check(system);
        Calls.Enqueue($"submit {job.Name} {job.WorkingDirectory}");
        var id = Interlocked.Increment(ref _nextId).ToString();
        var stdout = job.StandardOutput ?? $"{job.WorkingDirectory}/slurm-{id}.out";
        Jobs[id] = (new Job { JobId = id, Name = job.Name, Status = new JobStatus { State = "PENDING" }, WorkingDirectory = job.WorkingDirectory, Account = job.Account, Partition = job.Partition },
            new JobMetadata { JobId = id, Script = job.Script, StandardOutput = stdout, StandardError = job.StandardError ?? stdout });
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default)
    {
        Check(system);
        return Task.FromResult<IReadOnlyList<Job>>(Jobs.Values.Select(j => j.Job).Where(j => query?.Name is null || j.Name == query.Name).OrderBy(j => j.JobId).ToList());
    }

    public Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        Check(system);
        Interlocked.Increment(ref _jobPolls);
        lock (NextStates)
            if (UnlistedPolls > 0)
            {
                UnlistedPolls--;
                throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found");
            }
        if (!Jobs.TryGetValue(jobId, out var j)) throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found");
        lock (NextStates)
            if (NextStates.Count > 0) j.Job.Status.State = NextStates.Dequeue();
        return Task.FromResult<IReadOnlyList<Job>>([j.Job]);
    }

    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        Check(system);
        return Jobs.TryGetValue(jobId, out var j) ? Task.FromResult<IReadOnlyList<JobMetadata>>([j.Meta])
            : throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found");
    }

    public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "attach");

    public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        Check(system);
        if (!Jobs.TryGetValue(jobId, out var j)) throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found");
        j.Job.Status.State = "CANCELLED";
        Calls.Enqueue($"cancel {jobId}");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(system);
        var dir = path.Value.TrimEnd('/') + "/";
        if (!FilesByPath.ContainsKey(dir)) throw new HpcException(HpcErrorKind.NotFound, $"{path.Value}: No such file or directory");
        var entries = FilesByPath.Keys.Where(k => k != dir && k.StartsWith(dir, StringComparison.Ordinal) && !k[dir.Length..].TrimEnd('/').Contains('/'))
            .Select(k => new RemoteFile { Name = k[dir.Length..].TrimEnd('/'), Type = k.EndsWith('/') ? "d" : "-", Size = k.EndsWith('/') ? "4096" : FilesByPath[k].Length.ToString() })
            .Where(f => options?.ShowHidden == true || !f.Name.StartsWith('.')).OrderBy(f => f.Name).ToList();
        return Task.FromResult<IReadOnlyList<RemoteFile>>(entries);
    }

    private static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default)
    {
        Check(system);
        var text = Read(path.Value);
        var content = bytes is { } b ? text[..(int)Math.Min(b, text.Length)] : Lines(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take((int)(lines ?? 10)));
        return Task.FromResult(new FileContent { Content = content });
    }

    public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default)
    {
        Check(system);
        var text = Read(path.Value);
        var content = bytes is { } b ? text[(int)Math.Max(0, text.Length - b)..] : Lines(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast((int)(lines ?? 10)));
        return Task.FromResult(new FileContent { Content = content });
    }

    public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default)
    {
        Check(system);
        var text = Read(path.Value);
        var start = (int)Math.Min(offset ?? 0, text.Length);
        return Task.FromResult(text.Substring(start, (int)Math.Min(size ?? text.Length, text.Length - start)));
    }

    public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default)
    {
        Check(system);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Read(path.Value))));
        return Task.FromResult(new FileChecksum { Checksum = hash });
    }

    public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => Task.FromResult("ASCII text");

    public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default)
    {
        Check(system);
        if (FilesByPath.ContainsKey(path.Value.TrimEnd('/') + "/")) return Task.FromResult(new FileStat { Mode = 0x4000 | 0x1ED, Size = 4096, Uid = 1001, Gid = 1001 }); // the user's own
        return Task.FromResult(new FileStat { Mode = 0x8000 | 0x1A4, Size = Encoding.UTF8.GetByteCount(Read(path.Value)), Mtime = 1_700_000_000 });
    }

    public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default)
    {
        Check(system);
        FilesByPath[path.Value.TrimEnd('/') + "/"] = "";
        return Task.FromResult(new RemoteFile { Name = path.Value, Type = "d" });
    }

    public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "symlink");
    public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "chmod");
    public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "chown");

    public Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default)
    {
        Check(system);
        var removed = FilesByPath.Keys.Where(k => k == path.Value || k.StartsWith(path.Value.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
        if (removed.Count == 0) throw new HpcException(HpcErrorKind.NotFound, $"{path.Value}: No such file or directory");
        foreach (var k in removed) FilesByPath.TryRemove(k, out _);
        Calls.Enqueue($"rm {path.Value}");
        return Task.CompletedTask;
    }

    public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default)
    {
        Check(system);
        var text = Read(path.Value);
        if (text.Length > 1000) throw new HpcException(HpcErrorKind.TooLarge, "file larger than max_ops_file_size 1000");
        return Task.FromResult(Encoding.UTF8.GetBytes(text));
    }

    public async Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        Check(system);
        if (!FilesByPath.ContainsKey(directory.Value.TrimEnd('/') + "/")) throw new HpcException(HpcErrorKind.NotFound, $"{directory.Value}: No such file or directory.Value");
        using var reader = new StreamReader(content);
        FilesByPath[directory.Value.TrimEnd('/') + "/" + fileName] = await reader.ReadToEndAsync(cancellationToken);
    }

    public Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "compress");
    public Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "extract");

    public Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "s3");
    public Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "s3");
    public Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "streamer");
    public Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "streamer");

    private Task<TransferJob> TransferJob(string system, string name, Action work)
    {
        Check(system);
        var id = Interlocked.Increment(ref _nextId).ToString();
        var state = "COMPLETED";
        try { work(); } catch (HpcException) { state = "FAILED"; FilesByPath[$"/tmp/{id}.err"] = "mv: cannot stat: No such file or directory\n"; }
        Jobs[id] = (new Job { JobId = id, Name = name, Status = new JobStatus { State = state } }, new JobMetadata { JobId = id });
        return Task.FromResult(new TransferJob { JobId = id, System = system, Logs = new TransferJobLogs { ErrorLog = $"/tmp/{id}.err" } });
    }

    public Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default) =>
        TransferJob(system, "mv", () => { FilesByPath[targetPath.Value] = Read(sourcePath.Value); FilesByPath.TryRemove(sourcePath.Value, out _); });

    public Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default) =>
        TransferJob(system, "cp", () => FilesByPath[targetPath.Value] = Read(sourcePath.Value));

    public Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "rm job");
    public Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "compress job");
    public Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default) => throw new HpcException(HpcErrorKind.NotImplemented, "extract job");
}
