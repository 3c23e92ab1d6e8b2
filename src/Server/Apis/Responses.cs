using System.Text.Json.Serialization;
using Firecrest.Core.Models;

namespace Firecrest.Server.Apis;

/// <summary><c>{"output": …}</c> of the file-system ops.</summary>
/// <typeparam name="T">Output type.</typeparam>
/// <param name="Output">The result.</param>
public sealed record OutputResponse<T>(T Output);

/// <summary><c>{"jobs": […]}</c>.</summary>
/// <param name="Jobs">Jobs.</param>
public sealed record JobsResponse(IReadOnlyList<Job> Jobs);

/// <summary><c>{"jobs": […]}</c> of the metadata route.</summary>
/// <param name="Jobs">Metadata of the job.</param>
public sealed record JobMetadataResponse(IReadOnlyList<JobMetadata> Jobs);

/// <summary>Answer of a submit.</summary>
/// <param name="JobId">Id of the new job.</param>
public sealed record SubmitJobResponse(string JobId);

/// <summary><c>{"nodes": […]}</c>.</summary>
/// <param name="Nodes">Nodes.</param>
public sealed record NodesResponse(IReadOnlyList<Node> Nodes);

/// <summary><c>{"partitions": […]}</c>.</summary>
/// <param name="Partitions">Partitions.</param>
public sealed record PartitionsResponse(IReadOnlyList<Partition> Partitions);

/// <summary><c>{"reservations": […]}</c>.</summary>
/// <param name="Reservations">Reservations.</param>
public sealed record ReservationsResponse(IReadOnlyList<Reservation> Reservations);

/// <summary><c>{"transferJob": …}</c>.</summary>
/// <param name="TransferJob">The job that moves the data.</param>
public sealed record TransferJobResponse(TransferJob TransferJob);

/// <summary>Answer of transfer upload and download (null fields dropped, as upstream's <c>response_model_exclude_none</c>).</summary>
/// <param name="TransferJob">The job that moves the data.</param>
/// <param name="TransferDirectives">What the client does next.</param>
public sealed record TransferFileResponse(
    TransferJob TransferJob,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TransferDirectivesView? TransferDirectives)
{
    /// <summary>Shapes the engine's answer.</summary>
    public static TransferFileResponse From(TransferResponse r) => new(r.TransferJob, r.TransferDirectives is { } d
        ? new TransferDirectivesView(d.TransferMethod, d.PartsUploadUrls, d.CompleteUploadUrl, d.MaxPartSize, d.DownloadUrl, d.Coordinates, d.WormholeCode)
        : null);
}

/// <summary>Transfer directives of an answer; only the fields of the method are present.</summary>
/// <param name="TransferMethod">How the data moves.</param>
/// <param name="PartsUploadUrls">S3 upload: presigned part URLs.</param>
/// <param name="CompleteUploadUrl">S3 upload: presigned complete URL.</param>
/// <param name="MaxPartSize">S3 upload: part size.</param>
/// <param name="DownloadUrl">S3 download: presigned URL.</param>
/// <param name="Coordinates">Streamer coordinates.</param>
/// <param name="WormholeCode">Wormhole code.</param>
public sealed record TransferDirectivesView(
    TransferMethod TransferMethod,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? PartsUploadUrls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompleteUploadUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxPartSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DownloadUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Coordinates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WormholeCode);
