namespace Firecrest.Core.Models;

/// <summary>Log files of a transfer job (wire model <c>JobLogs</c>).</summary>
public sealed class TransferJobLogs
{
    /// <summary>Stdout log path.</summary>
    public string OutputLog { get; set; } = "";

    /// <summary>Stderr log path.</summary>
    public string ErrorLog { get; set; } = "";
}

/// <summary>A scheduler job that moves data (wire model <c>TransferJob</c>).</summary>
public sealed class TransferJob
{
    /// <summary>Job id.</summary>
    public string JobId { get; set; } = "";

    /// <summary>System.</summary>
    public string System { get; set; } = "";

    /// <summary>Working directory of the job.</summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Log files.</summary>
    public TransferJobLogs Logs { get; set; } = new();
}

/// <summary>Transfer directives in requests and responses (discriminated by <c>transferMethod</c>).</summary>
public sealed class TransferDirectives
{
    /// <summary>How the data moves.</summary>
    public TransferMethod TransferMethod { get; set; } = TransferMethod.S3;

    /// <summary>Request: file size in bytes (S3 upload).</summary>
    public long? FileSize { get; set; }

    /// <summary>Wormhole code.</summary>
    public string? WormholeCode { get; set; }

    /// <summary>Response: presigned part URLs (S3 upload).</summary>
    public List<string>? PartsUploadUrls { get; set; }

    /// <summary>Response: presigned complete URL (S3 upload, HTTP POST).</summary>
    public string? CompleteUploadUrl { get; set; }

    /// <summary>Response: part size (S3 upload).</summary>
    public long? MaxPartSize { get; set; }

    /// <summary>Response: presigned GET URL (S3 download).</summary>
    public string? DownloadUrl { get; set; }

    /// <summary>Response: streamer coordinates.</summary>
    public string? Coordinates { get; set; }
}

/// <summary>Answer of <c>transfer/upload</c> and <c>transfer/download</c>.</summary>
public sealed class TransferResponse
{
    /// <summary>The job that moves the data on the cluster side.</summary>
    public TransferJob TransferJob { get; set; } = new();

    /// <summary>URLs and parameters for the client side.</summary>
    public TransferDirectives? TransferDirectives { get; set; }
}
