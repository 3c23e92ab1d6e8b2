using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Core.Schedulers;

namespace Firecrest.Core.Engine;

/// <summary>Scheduler features beyond the FirecREST v2 API, for one user: the system's adapter, when it offers them.</summary>
internal sealed class EngineSchedulerOperations(FirecrestEngine engine, UserIdentity user) : ISchedulerOperations
{
    public Task HoldJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        Control(system, "Holding a job").HoldJobAsync(user, jobId.Value, cancellationToken);

    public Task ReleaseJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        Control(system, "Releasing a job").ReleaseJobAsync(user, jobId.Value, cancellationToken);

    public Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(string system, JobId jobId, CancellationToken cancellationToken = default) =>
        Control(system, "Job accounting").GetJobAccountingAsync(user, jobId.Value, cancellationToken);

    public Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(string system, CancellationToken cancellationToken = default) =>
        Control(system, "Partition limits").GetPartitionDetailsAsync(user, cancellationToken);

    public Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(string system, CancellationToken cancellationToken = default) =>
        Control(system, "Node resources").GetNodeResourcesAsync(user, cancellationToken);

    private ISchedulerControl Control(string system, string feature)
    {
        var s = engine.GetSystem(system);
        return s.Scheduler as ISchedulerControl
            ?? throw new HpcException(HpcErrorKind.NotImplemented, $"{feature} is not supported by the scheduler of system '{s.Settings.Name}'.");
    }
}
