using System.Text;
using System.Text.RegularExpressions;
using Firecrest.Core.Configuration;
using Firecrest.Core.Errors;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Schedulers.Pbs;

/// <summary>OpenPBS through its command line (qsub, qstat, qdel, …) over the user's SSH connection.</summary>
public sealed partial class PbsCliScheduler : IScheduler, ISchedulerControl
{
    private readonly IRemoteShell _shell;
    private readonly ClusterSettings _cluster;

    /// <summary>Creates the adapter for one cluster.</summary>
    public PbsCliScheduler(IRemoteShell shell, ClusterSettings cluster)
    {
        _shell = shell;
        _cluster = cluster;
    }

    /// <summary>Time zone of the PBS server's human-readable times (local by default).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Runs one command of <paramref name="operation"/> (the calling method) under its scheduler span.</summary>
    private Task<RemoteCommandResult> RunAsync(UserIdentity user, RemoteCommand command, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "") =>
        Diagnostics.SchedulerTelemetry.RunAsync(_shell, "pbs", operation, _cluster.Name, user, command, ct);

    /// <summary>
    /// <c>cd 'cwd' &amp;&amp; qsub (-v 'K=V,…' | -V) [-N] [-q reservation|partition] [-P account] [-e] [-o] [-W depend=…] [-- 'script_path']</c>,
    /// the inline script on stdin. Not idempotent.
    /// </summary>
    public static RemoteCommand SubmitCommand(JobDescription job)
    {
        if (string.IsNullOrWhiteSpace(job.WorkingDirectory))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The job's working directory is required.");
        var hasScript = !string.IsNullOrEmpty(job.Script);
        var hasPath = !string.IsNullOrEmpty(job.ScriptPath);
        if (hasScript == hasPath) throw new HpcException(HpcErrorKind.InvalidArgument, "Give exactly one of script and scriptPath.");
        var env = job.Env ?? new Dictionary<string, string>(SlurmCliCommands.DefaultEnvironment);
        var sb = new StringBuilder("cd ").Append(ShellQuote.Quote(job.WorkingDirectory)).Append(" && qsub");
        if (env.Count == 0) sb.Append(" -V");
        else sb.Append(" -v ").Append(ShellQuote.Quote(SlurmCliCommands.ExportList(env)["ALL,".Length..]));
        Option(sb, "-N", job.Name);
        Option(sb, "-q", job.Reservation ?? job.Partition);
        Option(sb, "-P", job.Account);
        Option(sb, "-e", job.StandardError);
        Option(sb, "-o", job.StandardOutput);
        if (!string.IsNullOrEmpty(job.Dependency)) Option(sb, "-W", "depend=" + job.Dependency);
        if (hasPath) sb.Append(" -- ").Append(ShellQuote.Quote(job.ScriptPath!));
        return new RemoteCommand(sb.ToString()) { Stdin = hasPath ? null : job.Script, Idempotent = false };
    }

    private static void Option(StringBuilder sb, string flag, string? value)
    {
        if (!string.IsNullOrEmpty(value)) sb.Append(' ').Append(flag).Append(' ').Append(ShellQuote.Quote(value));
    }

    /// <inheritdoc/>
    public async Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, SubmitCommand(job), cancellationToken).ConfigureAwait(false);
        var match = LeadingDigits().Match(result.Stdout.Trim());
        if (result.ExitStatus == 0 && match.Success) return match.Value;
        throw new HpcException(RemoteErrorClassifier.ClassifySubmission(result.Stderr), Message(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingDigits();

    private static string Message(RemoteCommandResult r) =>
        r.Stderr.Trim() is { Length: > 0 } s ? s : $"PBS command failed with exit status {r.ExitStatus}.";

    /// <summary><c>qstat -F json -f ['ID'] -x</c>.</summary>
    public static RemoteCommand QstatCommand(string? jobId) =>
        new("qstat -F json -f" + (jobId is null ? "" : " " + ShellQuote.Quote(jobId)) + " -x") { OutputLimit = SchedulerListing.OutputLimit };

    private async Task<List<PbsParsers.PbsJob>> QstatAsync(UserIdentity user, string? jobId, CancellationToken ct)
    {
        var result = await RunAsync(user, QstatCommand(jobId), ct).ConfigureAwait(false);
        if (result.ExitStatus != 0)
        {
            if (result.Stderr.Contains("Unknown Job Id", StringComparison.OrdinalIgnoreCase)) return [];
            throw new HpcException(HpcErrorKind.Internal, Message(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
        }
        return PbsParsers.ParseJobs(result.Stdout, TimeZone);
    }

    /// <inheritdoc/>
    /// <remarks>Owner, name and account filters are applied here; the time window is ignored (as upstream).</remarks>
    public async Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken)
    {
        if (query.TimeWindow is not null) SlurmCliCommands.StartTime(query.TimeWindow); // same validation as Slurm
        var jobs = await QstatAsync(user, null, cancellationToken).ConfigureAwait(false);
        return jobs.Where(j => query.AllUsers || j.Owner == user.Username)
            .Where(j => query.Name is null || j.Job.Name == query.Name)
            .Where(j => query.Account is null || j.Job.Account == query.Account)
            .Select(j => j.Job).ToList();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        (await QstatAsync(user, ValidatePbsId(jobId), cancellationToken).ConfigureAwait(false)).Select(j => j.Job).ToList();

    /// <inheritdoc/>
    /// <remarks>No script (PBS keeps none); stdout/stderr the right way round (upstream swaps them; see docs/differences.md).</remarks>
    public async Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        (await QstatAsync(user, ValidatePbsId(jobId), cancellationToken).ConfigureAwait(false)).Select(j => j.Metadata).ToList();

    private static string ValidatePbsId(string jobId) => JobId.Parse(jobId, JobId.DefaultField).Value;

    /// <inheritdoc/>
    public async Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, new RemoteCommand("qdel " + ShellQuote.Quote(ValidatePbsId(jobId))) { Idempotent = false }, cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus == 0) return;
        throw new HpcException(RemoteErrorClassifier.Classify(result.ExitStatus, result.Stderr), Message(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }

    /// <inheritdoc/>
    public Task HoldJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => HoldOrReleaseAsync(user, "qhold ", jobId, cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => HoldOrReleaseAsync(user, "qrls ", jobId, cancellationToken);

    private async Task HoldOrReleaseAsync(UserIdentity user, string command, string jobId, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, new RemoteCommand(command + ShellQuote.Quote(ValidatePbsId(jobId))) { Idempotent = false }, cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus == 0) return;
        throw new HpcException(RemoteErrorClassifier.Classify(result.ExitStatus, result.Stderr), Message(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Job accounting is not supported on PBS.");

    /// <inheritdoc/>
    public Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(UserIdentity user, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Queue limits are not supported on PBS.");

    /// <inheritdoc/>
    public Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(UserIdentity user, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Node resources are not supported on PBS.");

    /// <inheritdoc/>
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) =>
        throw new HpcException(HpcErrorKind.NotImplemented, "Attaching to a job is not supported on PBS.");

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) =>
        PbsParsers.ParseNodes(await CheckedAsync(user, "pbsnodes -a -F json", cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) =>
        PbsParsers.ParseQueues(await CheckedAsync(user, "qstat -F json -f -Q", cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken) =>
        PbsParsers.ParseReservations(await CheckedAsync(user, "pbs_rstat -Sf", cancellationToken).ConfigureAwait(false), TimeZone);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SchedulerAccount>?>(null);

    /// <inheritdoc/>
    public async Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, new RemoteCommand("qstat -F json -f -B"), cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus != 0) return (false, Message(result));
        return PbsParsers.ParseServerState(result.Stdout);
    }

    private async Task<string> CheckedAsync(UserIdentity user, string command, CancellationToken ct)
    {
        var result = await RunAsync(user, new RemoteCommand(command) { OutputLimit = SchedulerListing.OutputLimit }, ct).ConfigureAwait(false);
        return result.ExitStatus == 0 ? result.Stdout
            : throw new HpcException(HpcErrorKind.Internal, Message(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }
}
