using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;

namespace Firecrest.Core.Tests.TestDoubles;

/// <summary>
/// The one fake <see cref="IScheduler"/> of the unit tests: records submitted jobs (answering with ids 1001, 1002, …,
/// or throwing <see cref="FailWith"/>) and pings (answering with the health it was given). Every other call is not
/// supported.
/// </summary>
internal sealed class FakeScheduler(bool up = true, string message = "Slurmctld(primary) at vm is UP") : IScheduler
{
    /// <summary>Jobs submitted so far, in order.</summary>
    public List<JobDescription> Submitted { get; } = [];

    /// <summary>Users who pinged, in order.</summary>
    public List<UserIdentity> Pings { get; } = [];

    /// <summary>When set, every submission throws this.</summary>
    public Exception? FailWith { get; set; }

    public Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken)
    {
        if (FailWith is not null) throw FailWith;
        lock (Submitted)
        {
            Submitted.Add(job);
            return Task.FromResult((1000 + Submitted.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        lock (Pings) Pings.Add(user);
        return Task.FromResult((up, message));
    }

    public Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>When set, the accounts of a user (null: the scheduler keeps none); else account queries are not supported.</summary>
    public Func<UserIdentity, IReadOnlyList<SchedulerAccount>?>? Accounts { get; set; }

    /// <summary>Account queries so far.</summary>
    public int AccountQueries { get; private set; }

    public Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        if (Accounts is null) throw new NotSupportedException();
        AccountQueries++;
        return Task.FromResult(Accounts(user));
    }
}
