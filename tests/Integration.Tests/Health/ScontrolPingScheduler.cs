using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Ssh;

namespace Firecrest.Integration.Tests.Health;

/// <summary>A stand-in scheduler for health tests: only <see cref="PingAsync"/>, which runs <c>scontrol ping</c> over the shell.</summary>
internal sealed class ScontrolPingScheduler(IRemoteShell shell, string system) : IScheduler
{
    public async Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var r = await shell.RunAsync(system, user, new RemoteCommand("scontrol ping"), cancellationToken);
        var output = (r.Stdout + r.Stderr).Trim();
        return (r.ExitStatus == 0 && output.Contains(" is UP", StringComparison.Ordinal), output);
    }

    public Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
}
