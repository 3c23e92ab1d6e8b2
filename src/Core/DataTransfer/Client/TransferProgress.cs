using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>The stage a transfer is in.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<TransferPhase>))]
public enum TransferPhase
{
    /// <summary>Hashing the local file, asking the server, planning parts.</summary>
    Preparing,

    /// <summary>Sending bytes (parts PUT to S3, or the direct upload).</summary>
    Uploading,

    /// <summary>Waiting for the transfer job on the cluster.</summary>
    WaitingForJob,

    /// <summary>Receiving bytes (ranged GETs from S3, or the direct download).</summary>
    Downloading,

    /// <summary>Comparing SHA-256 checksums.</summary>
    Verifying,

    /// <summary>Done: the target is complete and verified.</summary>
    Completed,
}

/// <summary>A snapshot of a transfer's progress.</summary>
/// <param name="BytesDone">Bytes moved so far (parts finished in an earlier, interrupted run count as done).</param>
/// <param name="TotalBytes">Size of the file.</param>
/// <param name="BytesPerSecond">Average rate of this run (bytes moved in this run / elapsed time); 0 before any byte.</param>
/// <param name="EstimatedRemaining">Time left at that rate; null while the rate is unknown.</param>
/// <param name="Phase">Stage of the transfer.</param>
public sealed record TransferProgress(long BytesDone, long TotalBytes, double BytesPerSecond, TimeSpan? EstimatedRemaining, TransferPhase Phase)
{
    /// <summary>Percent done (0–100); 100 for an empty file.</summary>
    public double Percent => TotalBytes <= 0 ? 100 : Math.Min(100, 100.0 * BytesDone / TotalBytes);
}
