using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers;

/// <summary>
/// A scheduler adapter for one system (Slurm over SSH, Slurm over slurmrestd, PBS over SSH). Every call acts as
/// the given user; over SSH through <see cref="Ssh.IRemoteShell"/>, over REST with the user's token.
/// </summary>
public interface IScheduler
{
    /// <summary>Submits a job; returns its id. Never retried after a timeout.</summary>
    Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken);

    /// <summary>Lists jobs (the user's own unless <see cref="JobQuery.AllUsers"/>).</summary>
    Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken);

    /// <summary>One job; an empty list when the scheduler does not know it.</summary>
    Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    /// <summary>Script and resolved standard stream paths; empty when unknown.</summary>
    Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> inside the allocation of a running job.</summary>
    Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken);

    Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken);

    Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken);

    Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken);

    /// <summary>Accounts the user may charge; null when the scheduler has none (PBS).</summary>
    Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken);

    /// <summary>Health probe: true when the controller answers; the message says what it said.</summary>
    Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken);
}
