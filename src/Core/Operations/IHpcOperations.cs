using Firecrest.Core.Models;

namespace Firecrest.Core.Operations;

/// <summary>
/// The FirecREST v2 operations as one interface with two implementations: the in-process engine
/// (acting as one user) and the HTTP client (acting with one token). Every face (REST server, PowerShell,
/// MCP, batch runs) talks to this.
/// </summary>
public interface IHpcOperations
{
    /// <summary>Systems, nodes, partitions, reservations, user info.</summary>
    IStatusOperations Status { get; }

    IComputeOperations Compute { get; }

    IFilesystemOperations Files { get; }

    /// <summary>Asynchronous transfers (scheduler jobs, S3).</summary>
    ITransferOperations Transfers { get; }
}

/// <summary>The <c>/status</c> routes.</summary>
public interface IStatusOperations
{
    /// <summary>All systems with their latest health.</summary>
    Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default);

    /// <summary>Compute nodes of a system.</summary>
    Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default);

    /// <summary>Partitions (queues) of a system.</summary>
    Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default);

    /// <summary>Reservations of a system.</summary>
    Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default);

    /// <summary>The caller's user, groups and accounts on a system.</summary>
    Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default);
}

/// <summary>The <c>/compute/{system}/jobs</c> routes.</summary>
public interface IComputeOperations
{
    /// <summary>Submits a job and returns its id. With an idempotency key, a retry returns the first id and never submits twice.</summary>
    Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>One job (a list: Slurm may report duplicates). Throws <see cref="HpcErrorKind.NotFound"/> when unknown.</summary>
    Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Script and resolved stdin/stdout/stderr paths.</summary>
    Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Runs a command inside a running job's allocation.</summary>
    Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default);

    Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default);
}

/// <summary>The <c>/filesystem/{system}/ops</c> routes.</summary>
public interface IFilesystemOperations
{
    /// <summary>Lists a directory (or describes a file).</summary>
    Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>First bytes or lines of a file (<paramref name="skipTrailing"/>: all but the last N).</summary>
    Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default);

    /// <summary>Last bytes or lines of a file (<paramref name="skipHeading"/>: from the Nth on).</summary>
    Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default);

    /// <summary>A window of a file as text.</summary>
    Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default);

    /// <summary>SHA-256 of a file.</summary>
    Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default);

    /// <summary>Output of <c>file -b</c>.</summary>
    Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default);

    /// <summary>stat of a path.</summary>
    Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default);

    Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default);

    /// <summary>Creates a symbolic link at <paramref name="linkPath"/> pointing to <paramref name="path"/>.</summary>
    Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default);

    /// <summary>Changes permissions (octal text, e.g. <c>755</c>).</summary>
    Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default);

    /// <summary>Changes owner and/or group.</summary>
    Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default);

    /// <summary>Removes a file or directory tree.</summary>
    Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default);

    /// <summary>Reads a small file (at most max_ops_file_size).</summary>
    Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default);

    /// <summary>Writes a small file <paramref name="fileName"/> into <paramref name="directory"/>.</summary>
    Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Creates a tar archive.</summary>
    Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default);

    /// <summary>Extracts a tar archive.</summary>
    Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The <c>/filesystem/{system}/transfer</c> routes: data movement as scheduler jobs.</summary>
public interface ITransferOperations
{
    /// <summary>Starts an upload into <paramref name="path"/> (a file) and returns the URLs to send the data to.</summary>
    Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a download of <paramref name="path"/> and returns the URL to fetch it from once the job is done.</summary>
    Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a streamer upload into <paramref name="path"/> (a file that must not exist) on a system whose data transfer is
    /// <c>streamer</c>; the answer's coordinates say where the transfer job's streamer listens.
    /// </summary>
    Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a streamer download of <paramref name="path"/>; the answer's coordinates say where the job's streamer listens.</summary>
    Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Moves as a job.</summary>
    Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Copies as a job.</summary>
    Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Removes as a job.</summary>
    Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Compresses as a job.</summary>
    Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Extracts as a job.</summary>
    Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default);
}
