using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers;

/// <summary>
/// Scheduler features beyond the FirecREST v2 API (hold and release, accounting, partition limits, node resources).
/// An adapter implements what its scheduler allows and throws <see cref="HpcErrorKind.NotImplemented"/> for the rest.
/// </summary>
public interface ISchedulerControl
{
    /// <summary>Keeps a pending job from starting until released.</summary>
    Task HoldJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    /// <summary>Lets a held job start again.</summary>
    Task ReleaseJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    /// <summary>Resource use of a job (and of each array element); empty when accounting does not know it.</summary>
    Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    /// <summary>Partitions with their limits.</summary>
    Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(UserIdentity user, CancellationToken cancellationToken);

    /// <summary>Nodes with their CPUs, memory and GPUs, total and in use.</summary>
    Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(UserIdentity user, CancellationToken cancellationToken);
}
