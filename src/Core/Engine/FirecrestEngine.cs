using Firecrest.Core.Configuration;
using Firecrest.Core.Idempotency;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>
/// The in-process engine: one <see cref="HpcSystemContext"/> per configured system, shared by all users; operations
/// are handed out per user by <see cref="ForUser"/>.
/// </summary>
public sealed class FirecrestEngine : IHpcEngine
{
    private readonly Dictionary<string, HpcSystemContext> _systems;

    /// <summary>
    /// Creates the engine over prepared system contexts. Idempotent submits are remembered in
    /// <paramref name="idempotency"/> (by default in this process, on the system clock).
    /// </summary>
    public FirecrestEngine(FirecrestSettings settings, IEnumerable<HpcSystemContext> systems, IHealthState health, IIdempotencyStore? idempotency = null)
    {
        Settings = settings;
        Health = health;
        _systems = systems.ToDictionary(s => s.Settings.Name, StringComparer.OrdinalIgnoreCase);
        Submits = new IdempotentSubmitter(idempotency ?? new InMemoryIdempotencyStore(TimeProvider.System));
    }

    /// <summary>Submit-once by idempotency key, shared by every user's operations.</summary>
    public IdempotentSubmitter Submits { get; }

    /// <summary>The configuration the engine runs with.</summary>
    public FirecrestSettings Settings { get; }

    /// <inheritdoc/>
    public IHealthState Health { get; }

    /// <summary>Names of the configured systems.</summary>
    public IEnumerable<string> SystemNames => _systems.Keys;

    /// <inheritdoc/>
    public IHpcOperations ForUser(UserIdentity user) => new EngineOperations(this, user);

    /// <summary>The system called <paramref name="name"/>; <see cref="HpcErrorKind.NotFound"/> "System not found" otherwise.</summary>
    public HpcSystemContext GetSystem(string name) =>
        _systems.TryGetValue(name ?? "", out var s) ? s : throw new HpcException(HpcErrorKind.NotFound, "System not found");

    private sealed class EngineOperations(FirecrestEngine engine, UserIdentity user) : IHpcOperations, ISchedulerOperations
    {
        private readonly EngineSchedulerOperations _scheduler = new(engine, user);

        public IStatusOperations Status { get; } = new EngineStatusOperations(engine, user);

        public IComputeOperations Compute { get; } = new EngineComputeOperations(engine, user);

        public IFilesystemOperations Files { get; } = new EngineFilesystemOperations(engine, user);

        public ITransferOperations Transfers { get; } = new EngineTransferOperations(engine, user);

        public Task HoldJobAsync(string system, Models.JobId jobId, CancellationToken cancellationToken = default) => _scheduler.HoldJobAsync(system, jobId, cancellationToken);

        public Task ReleaseJobAsync(string system, Models.JobId jobId, CancellationToken cancellationToken = default) => _scheduler.ReleaseJobAsync(system, jobId, cancellationToken);

        public Task<IReadOnlyList<Models.JobAccounting>> GetJobAccountingAsync(string system, Models.JobId jobId, CancellationToken cancellationToken = default) =>
            _scheduler.GetJobAccountingAsync(system, jobId, cancellationToken);

        public Task<IReadOnlyList<Models.PartitionDetails>> GetPartitionDetailsAsync(string system, CancellationToken cancellationToken = default) =>
            _scheduler.GetPartitionDetailsAsync(system, cancellationToken);

        public Task<IReadOnlyList<Models.NodeResources>> GetNodeResourcesAsync(string system, CancellationToken cancellationToken = default) =>
            _scheduler.GetNodeResourcesAsync(system, cancellationToken);
    }
}
