using Firecrest.Core.Models;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>A finished part of a staged upload.</summary>
public sealed class UploadedPart
{
    /// <summary>Part number, from 1.</summary>
    public int Number { get; set; }

    /// <summary>ETag S3 returned for it (with its quotes).</summary>
    public string ETag { get; set; } = "";
}

/// <summary>
/// What a staged upload must remember to continue after an interruption (kept as JSON beside the local file):
/// the local file it was made for, the server's answer (job, URLs, part size) and the finished parts.
/// </summary>
public sealed class UploadState
{
    public int Version { get; set; } = 1;

    public string System { get; set; } = "";

    /// <summary>Target file on the cluster.</summary>
    public string RemotePath { get; set; } = "";

    /// <summary>Size of the local file when the upload started.</summary>
    public long LocalSize { get; set; }

    /// <summary>Last write time (UTC ticks) of the local file when the upload started.</summary>
    public long LocalWriteTimeTicks { get; set; }

    /// <summary>SHA-256 (lower-case hex) of the local file when the upload started.</summary>
    public string LocalSha256 { get; set; } = "";

    /// <summary>The transfer job that pulls the object to the cluster.</summary>
    public TransferJob Job { get; set; } = new();

    /// <summary>Presigned part URLs, part 1 first.</summary>
    public List<string> PartUrls { get; set; } = [];

    /// <summary>Presigned CompleteMultipartUpload URL.</summary>
    public string CompleteUrl { get; set; } = "";

    /// <summary>Part size the server chose.</summary>
    public long PartSize { get; set; }

    public List<UploadedPart> Parts { get; set; } = [];

    /// <summary>True once CompleteMultipartUpload was accepted: only the job is left to wait for.</summary>
    public bool Completed { get; set; }

    /// <summary>
    /// True when this state belongs to <paramref name="system"/>/<paramref name="remotePath"/> and the local file is
    /// unchanged. A state saved before its first part has no hash yet; with no part sent, size and write time suffice.
    /// </summary>
    public bool Matches(string system, string remotePath, long size, long writeTimeTicks, string sha256) =>
        Version == 1 && System == system && RemotePath == remotePath && LocalSize == size && LocalWriteTimeTicks == writeTimeTicks
        && (Parts.Count == 0 && LocalSha256.Length == 0 || string.Equals(LocalSha256, sha256, StringComparison.OrdinalIgnoreCase))
        && PartUrls.Count > 0 && PartSize > 0;
}

/// <summary>What a staged download must remember to continue after an interruption (JSON beside the local file).</summary>
public sealed class DownloadState
{
    public int Version { get; set; } = 1;

    public string System { get; set; } = "";

    /// <summary>Source file on the cluster.</summary>
    public string RemotePath { get; set; } = "";

    /// <summary>Size of the remote file when the download started.</summary>
    public long RemoteSize { get; set; }

    /// <summary>Modification time (Unix seconds) of the remote file when the download started.</summary>
    public long RemoteModified { get; set; }

    /// <summary>The transfer job that put the file into S3.</summary>
    public TransferJob Job { get; set; } = new();

    /// <summary>True once the job finished and <see cref="DownloadUrl"/> is usable.</summary>
    public bool JobCompleted { get; set; }

    public string DownloadUrl { get; set; } = "";

    /// <summary>Size of each range.</summary>
    public long RangeSize { get; set; }

    /// <summary>Numbers (from 1) of the ranges already written to the <c>.part</c> file.</summary>
    public List<int> DoneRanges { get; set; } = [];

    /// <summary>True when this state belongs to <paramref name="system"/>/<paramref name="remotePath"/> and the remote file is unchanged.</summary>
    public bool Matches(string system, string remotePath, long size, long modified) =>
        Version == 1 && System == system && RemotePath == remotePath && RemoteSize == size && RemoteModified == modified
        && !string.IsNullOrEmpty(DownloadUrl) && RangeSize > 0;
}
