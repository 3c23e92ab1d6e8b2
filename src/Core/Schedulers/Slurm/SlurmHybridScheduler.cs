using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>
/// Hybrid mode (<c>connection_mode: hybrid</c>): slurmrestd by default; the command line over SSH for script-path submits, metadata and attach.
/// </summary>
public sealed class SlurmHybridScheduler(IScheduler rest, IScheduler cli) : IScheduler, ISchedulerControl
{
    /// <inheritdoc/>
    public Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(job.ScriptPath) ? rest.SubmitJobAsync(user, job, cancellationToken) : cli.SubmitJobAsync(user, job, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken) => rest.GetJobsAsync(user, query, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => rest.GetJobAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        cli.GetJobMetadataAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => rest.CancelJobAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) => cli.AttachAsync(user, jobId, command, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) => rest.GetNodesAsync(user, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) =>
        rest.GetPartitionsAsync(user, showHidden, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken) => rest.GetReservationsAsync(user, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken) => rest.GetAccountsAsync(user, cancellationToken);

    /// <inheritdoc/>
    public Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken) => rest.PingAsync(user, cancellationToken);

    /// <inheritdoc/>
    public Task HoldJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => Cli.HoldJobAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => Cli.ReleaseJobAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        Cli.GetJobAccountingAsync(user, jobId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(UserIdentity user, CancellationToken cancellationToken) =>
        Cli.GetPartitionDetailsAsync(user, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(UserIdentity user, CancellationToken cancellationToken) =>
        Cli.GetNodeResourcesAsync(user, cancellationToken);

    // The command line over SSH offers what slurmrestd's API does not.
    private ISchedulerControl Cli => cli as ISchedulerControl
        ?? throw new HpcException(HpcErrorKind.NotImplemented, "This Slurm connection does not support the operation.");
}
