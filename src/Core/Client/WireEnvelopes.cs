using Firecrest.Core.Models;

namespace Firecrest.Core.Client;

/// <summary>The JSON wrappers around the models in FirecREST answers.</summary>
internal static class WireEnvelopes
{
    /// <summary><c>{"output": …}</c>.</summary>
    public sealed record OutputOf<T>(T Output);

    /// <summary><c>{"systems": […]}</c>.</summary>
    public sealed record SystemsAnswer(List<HpcSystem>? Systems);

    /// <summary><c>{"nodes": […]}</c>.</summary>
    public sealed record NodesAnswer(List<Node>? Nodes);

    /// <summary><c>{"partitions": […]}</c>.</summary>
    public sealed record PartitionsAnswer(List<Partition>? Partitions);

    /// <summary><c>{"reservations": […]}</c>.</summary>
    public sealed record ReservationsAnswer(List<Reservation>? Reservations);

    /// <summary><c>{"jobs": […]}</c>.</summary>
    public sealed record JobsAnswer(List<Job>? Jobs);

    /// <summary><c>{"jobs": […]}</c> of the metadata route.</summary>
    public sealed record JobMetadatas(List<JobMetadata>? Jobs);

    /// <summary><c>{"jobId": "…"}</c> (older servers sent a number).</summary>
    public sealed record Submitted(System.Text.Json.JsonElement JobId);

    /// <summary><c>{"transferJob": {…}}</c>.</summary>
    public sealed record TransferJobAnswer(TransferJob? TransferJob);
}
