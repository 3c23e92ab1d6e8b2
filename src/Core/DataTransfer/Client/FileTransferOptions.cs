namespace Firecrest.Core.DataTransfer.Client;

/// <summary>Options of <see cref="FileTransferClient"/> uploads and downloads.</summary>
public sealed class FileTransferOptions
{
    /// <summary>Account of the transfer job (needed where the job directives carry <c>{account}</c>).</summary>
    public string? Account { get; set; }

    /// <summary>
    /// How a file too large for the direct routes moves: null (default) as the system offers
    /// (<c>data_transfer.service_type</c>); <see cref="Models.TransferMethod.S3"/> or <see cref="Models.TransferMethod.Streamer"/> to choose.
    /// </summary>
    public Models.TransferMethod? TransferMethod { get; set; }

    /// <summary>Parts sent or received at the same time (default 4).</summary>
    public int ParallelParts { get; set; } = 4;

    /// <summary>Size of the ranges of a staged download (default 8 MiB).</summary>
    public long DownloadRangeSize { get; set; } = 8L * 1024 * 1024;

    /// <summary>Largest file moved through the synchronous <c>ops</c> routes; null: the system's <c>max_ops_file_size</c>.</summary>
    public long? MaxDirectFileSize { get; set; }

    /// <summary>Retries of one part or request on network errors, 408, 429 and 5xx (default 5; 0: no retry).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay; doubled each retry, with jitter (default 0.5 s).</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest backoff delay (default 20 s).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>First delay between two job polls (default 0.5 s); it grows by half each poll up to <see cref="JobPollMaxInterval"/>.</summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest delay between two job polls (default 3 s).</summary>
    public TimeSpan JobPollMaxInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest wait for the transfer job (default 6 h); the job itself is left alone when it is reached.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a job may be unknown to the scheduler right after submission (default 60 s).</summary>
    public TimeSpan JobNotFoundGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between the last part and CompleteMultipartUpload: some stores acknowledge a part before it is fully stored (default 250 ms).</summary>
    public TimeSpan CompleteDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Compare SHA-256 of the local and remote file at the end (default true).</summary>
    public bool VerifyChecksum { get; set; } = true;

    /// <summary>Continue an interrupted transfer from its state file (default true); false starts over.</summary>
    public bool Resume { get; set; } = true;

    /// <summary>Shortest time between two progress reports (default 200 ms; phase changes are always reported).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        if (ParallelParts < 1) throw new HpcException(HpcErrorKind.InvalidArgument, "ParallelParts must be at least 1.");
        if (DownloadRangeSize < 1) throw new HpcException(HpcErrorKind.InvalidArgument, "DownloadRangeSize must be positive.");
        if (MaxRetries < 0) throw new HpcException(HpcErrorKind.InvalidArgument, "MaxRetries must not be negative.");
    }
}
