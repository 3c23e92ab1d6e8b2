using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Tests.Batch;

/// <summary>An in-memory cluster for the batch runner: jobs end with the outcome the test chooses; files live in a dictionary.</summary>
internal sealed class FakeBatchOperations : IHpcOperations, IStatusOperations, IComputeOperations, IFilesystemOperations
{
    private int _nextId = 100;

    /// <summary>Outcome of a job by name and attempt (1-based): raw state and exit code. Default COMPLETED 0.</summary>
    public Func<string, int, (string State, int Exit)> Outcome { get; set; } = (_, _) => ("COMPLETED", 0);

    /// <summary>Polls a job stays RUNNING before its outcome shows.</summary>
    public int PollsBeforeEnd { get; set; } = 1;

    /// <summary>Polls answered "not found" before jobs are listed (int.MaxValue: never listed).</summary>
    public int UnlistedPolls { get; set; }

    public List<(string Id, JobDescription Job)> Submitted { get; } = [];
    public List<string> Cancelled { get; } = [];
    public Dictionary<string, byte[]> RemoteFiles { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (string Name, int Attempt, int Polls, bool Cancelled)> Jobs { get; } = new();
    public string SchedulerType { get; set; } = "slurm";

    public IStatusOperations Status => this;
    public IComputeOperations Compute => this;
    public IFilesystemOperations Files => this;
    public ITransferOperations Transfers => throw new NotSupportedException();

    public int SubmitCount(string name) => Submitted.Count(s => s.Job.Name == name);

    public Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HpcSystem>>([new HpcSystem { Name = "cluster", Scheduler = new HpcSystemScheduler { Type = SchedulerType } }]);

    public Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var id = (_nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Submitted.Add((id, job));
        Jobs[id] = (job.Name!, SubmitCount(job.Name!), 0, false);
        return Task.FromResult(id);
    }

    public Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        if (!Jobs.TryGetValue(jobId, out var j) || UnlistedPolls-- > 0) throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found.");
        Jobs[jobId] = j with { Polls = j.Polls + 1 };
        var (state, exit) = j.Cancelled ? ("CANCELLED", 0) : j.Polls < PollsBeforeEnd ? ("RUNNING", 0) : Outcome(j.Name, j.Attempt);
        return Task.FromResult<IReadOnlyList<Job>>([new Job { JobId = jobId, Name = j.Name, Status = new JobStatus { State = state, ExitCode = exit }, Time = new JobTime { Elapsed = 3 } }]);
    }

    public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        Cancelled.Add(jobId);
        Jobs[jobId] = Jobs[jobId] with { Cancelled = true };
        return Task.CompletedTask;
    }

    public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default) =>
        Task.FromResult(new RemoteFile());

    public async Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream();
        await content.CopyToAsync(ms, cancellationToken);
        RemoteFiles[directory.Value.TrimEnd('/') + "/" + fileName] = ms.ToArray();
    }

    public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        RemoteFiles.TryGetValue(path.Value, out var bytes)
            ? Task.FromResult(bytes)
            : throw new HpcException(HpcErrorKind.NotFound, $"{path.Value}: No such file or directory");

    public Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
