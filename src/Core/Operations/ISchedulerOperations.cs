using Firecrest.Core.Models;

namespace Firecrest.Core.Operations;

/// <summary>
/// Scheduler features beyond the FirecREST v2 API, for one user: offered by the in-process engine (direct mode and the
/// server's own MCP endpoint), not by the HTTP client, since a FirecREST v2 server has no routes for them.
/// </summary>
public interface ISchedulerOperations
{
    /// <summary>Keeps a pending job from starting until released.</summary>
    Task HoldJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Lets a held job start again.</summary>
    Task ReleaseJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Resource use of a job from accounting; empty when accounting does not know it.</summary>
    Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(string system, JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Partitions with their limits.</summary>
    Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(string system, CancellationToken cancellationToken = default);

    /// <summary>Nodes with their CPUs, memory and GPUs, total and in use.</summary>
    Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(string system, CancellationToken cancellationToken = default);
}

/// <summary>Finds the <see cref="ISchedulerOperations"/> of an <see cref="IHpcOperations"/>.</summary>
public static class SchedulerOperations
{
    /// <summary>
    /// The scheduler features of <paramref name="operations"/>; throws <see cref="HpcErrorKind.NotImplemented"/> naming
    /// <paramref name="feature"/> when they act through a FirecREST v2 server (remote mode).
    /// </summary>
    public static ISchedulerOperations Of(IHpcOperations operations, string feature) =>
        operations as ISchedulerOperations
        ?? throw new HpcException(HpcErrorKind.NotImplemented,
            $"{feature} is not part of the FirecREST v2 API, so it is not available through a FirecREST server (remote mode); " +
            "use direct mode (the engine with the cluster configuration) or the server's own MCP endpoint (/mcp).");
}
