using System.Text.RegularExpressions;
using Firecrest.Core.Configuration;
using Firecrest.Core.Errors;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Slurm through its command line over the user's SSH connection (<c>connection_mode: ssh</c>).</summary>
public sealed partial class SlurmCliScheduler : IScheduler, ISchedulerControl
{
    private readonly IRemoteShell _shell;
    private readonly ClusterSettings _cluster;

    /// <summary>Creates the adapter for one cluster.</summary>
    public SlurmCliScheduler(IRemoteShell shell, ClusterSettings cluster)
    {
        _shell = shell;
        _cluster = cluster;
    }

    /// <summary>Time zone used to read scontrol times that are not epoch (the cluster's; local by default).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Clock used for reservation states.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Runs one command of <paramref name="operation"/> (the calling method) under its scheduler span.</summary>
    private Task<RemoteCommandResult> RunAsync(UserIdentity user, RemoteCommand command, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "") =>
        Diagnostics.SchedulerTelemetry.RunAsync(_shell, "slurm", operation, _cluster.Name, user, command, ct);

    /// <inheritdoc/>
    public async Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, SlurmCliCommands.Submit(job), cancellationToken).ConfigureAwait(false);
        var match = SubmittedPattern().Match(result.Stdout);
        if (result.ExitStatus == 0 && match.Success) return match.Groups[1].Value;
        throw SubmitError(result);
    }

    [GeneratedRegex(@"Submitted batch job (\d+)")]
    private static partial Regex SubmittedPattern();

    /// <summary>
    /// Maps a failed sbatch (<see cref="RemoteErrorClassifier.ClassifySubmission"/>). sbatch spreads one error over several
    /// lines: all of them go into <see cref="HpcException.CausedBy"/> (the envelope's <c>causedBy</c>), so an HTTP
    /// client reads the whole text, not only the last line that makes the message.
    /// </summary>
    internal static HpcException SubmitError(RemoteCommandResult result)
    {
        var message = SlurmMessage(result);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new HpcException(RemoteErrorClassifier.ClassifySubmission(result.Stderr), message)
        {
            ExitStatus = result.ExitStatus, Stderr = result.Stderr, CausedBy = lines.Length > 1 ? lines : null,
        };
    }

    /// <summary>The most telling line of a Slurm error (the last <c>error:</c> line), or a generic message.</summary>
    internal static string SlurmMessage(RemoteCommandResult result)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.LastOrDefault(l => l.Contains("error:", StringComparison.OrdinalIgnoreCase)) ?? lines.LastOrDefault();
        return string.IsNullOrEmpty(error) ? $"Slurm command failed with exit status {result.ExitStatus}." : error;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken)
    {
        SlurmCliCommands.StartTime(query.TimeWindow); // validates before anything runs
        return QueryAsync(user,
            SlurmCliCommands.Sacct(query.AllUsers, query.Account, query.Name, null, query.TimeWindow),
            SlurmCliCommands.Squeue(query.AllUsers ? null : user.Username, query.Account, query.Name, null),
            groupArrays: true, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        // squeue first, sacct only when needed: sacct asks slurmdbd and takes most of the request's time, while a job
        // the queue lists as PENDING gets its answer from squeue alone (see PendingInQueue).
        var squeue = await RunAsync(user, SlurmCliCommands.Squeue(null, null, null, jobId), cancellationToken).ConfigureAwait(false);
        var squeueRows = SlurmJobRows.Parse(CheckedOutput(squeue));
        var jobs = PendingInQueue(squeueRows, jobId)
            ? SlurmJobRows.Merge([], squeueRows).Jobs
            : await QueryAsync(user, RunAsync(user, SlurmCliCommands.Sacct(true, null, null, jobId, null), cancellationToken), Task.FromResult(squeue),
                groupArrays: SlurmJobRows.ArrayIdOf(jobId) is null, cancellationToken).ConfigureAwait(false);
        // `sacct --jobs=0` lists every job: keep only the job asked for (an array comes back as one job, an
        // element id such as 12_3 as that element alone).
        return jobs.Where(j => IsJobOrElement(j.JobId, jobId)).ToList();
    }

    /// <summary>
    /// True when squeue lists exactly the plain job asked for, PENDING, and nothing else: the merge with sacct would
    /// answer with that squeue row unchanged (a pending squeue row replaces sacct's, and a pending job has no steps to
    /// become tasks), so accounting is not asked. Arrays, array elements and heterogeneous jobs always read sacct too
    /// (ended elements are only there).
    /// </summary>
    internal static bool PendingInQueue(IReadOnlyList<SlurmJobRows.Row> squeueRows, string jobId) =>
        squeueRows.Count == 1 && squeueRows[0] is { ParentId: null, IsPlaceholder: false } row
        && row.Job.JobId == jobId && IsPlainId(jobId) && SlurmJobRows.ArrayIdOf(jobId) is null
        && string.Equals(row.Job.Status.State, "PENDING", StringComparison.OrdinalIgnoreCase);

    private static bool IsJobOrElement(string id, string asked) =>
        id == asked || (id.StartsWith(asked, StringComparison.Ordinal) && id.Length > asked.Length && id[asked.Length] is '_' or '+');

    private Task<IReadOnlyList<Job>> QueryAsync(UserIdentity user, RemoteCommand sacct, RemoteCommand squeue, bool groupArrays, CancellationToken ct)
    {
        var sacctTask = RunAsync(user, sacct, ct);
        return QueryAsync(user, sacctTask, RunAsync(user, squeue, ct), groupArrays, ct);
    }

    /// <summary>The merged answer of sacct and squeue, both already started (or done).</summary>
    private async Task<IReadOnlyList<Job>> QueryAsync(UserIdentity user, Task<RemoteCommandResult> sacctTask, Task<RemoteCommandResult> squeueTask, bool groupArrays, CancellationToken ct)
    {
        await Task.WhenAll(sacctTask, squeueTask).ConfigureAwait(false);
        var sacctRows = SlurmJobRows.Parse(CheckedOutput(await sacctTask.ConfigureAwait(false)));
        var squeueRows = SlurmJobRows.Parse(CheckedOutput(await squeueTask.ConfigureAwait(false)));
        var (jobs, unresolved) = SlurmJobRows.Merge(sacctRows, squeueRows);
        foreach (var id in unresolved)
        {
            // sacct's placeholder row (22.05, just after a job starts or ends) has an unreliable state: ask slurmctld.
            var index = jobs.FindIndex(j => j.JobId == id);
            var fromController = await ControllerJobAsync(user, id, ct).ConfigureAwait(false);
            if (fromController is null) { jobs.RemoveAt(index); continue; }
            fromController.Tasks = jobs[index].Tasks;
            fromController.Cluster ??= jobs[index].Cluster;
            jobs[index] = fromController;
        }
        // Array elements become the tasks of one job per array (after placeholders are resolved per element).
        return groupArrays ? SlurmJobRows.GroupArrays(jobs) : jobs;
    }

    private async Task<Job?> ControllerJobAsync(UserIdentity user, string jobId, CancellationToken ct)
    {
        if (!IsPlainId(jobId)) return null;
        var result = await RunAsync(user, SlurmCliCommands.ScontrolJob(jobId), ct).ConfigureAwait(false);
        if (result.ExitStatus != 0) return null;
        // An array element (12_3) is listed under its own raw JobId, with ArrayJobId=12 ArrayTaskId=3.
        var record = SlurmControlParsers.ParseRecords(result.Stdout).FirstOrDefault(r =>
            r.GetValueOrDefault("JobId") == jobId || $"{r.GetValueOrDefault("ArrayJobId")}_{r.GetValueOrDefault("ArrayTaskId")}" == jobId);
        if (record is null) return null;
        var job = SlurmControlParsers.JobFromRecord(record);
        job.JobId = jobId;
        return job;
    }

    private static bool IsPlainId(string id) => JobId.TryParse(id, out _);

    /// <summary>stdout of a successful sacct/squeue; "Invalid job id" and "Bad job/step specified" count as no rows.</summary>
    private static string CheckedOutput(RemoteCommandResult result)
    {
        if (result.ExitStatus == 0) return result.Stdout;
        if (result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)
            || result.Stderr.Contains("Bad job/step specified", StringComparison.OrdinalIgnoreCase)) return "";
        throw new HpcException(HpcErrorKind.Internal, SlurmMessage(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Running jobs: <c>scontrol show -o job</c> + <c>scontrol write batch_script</c>. Finished jobs (scontrol no longer
    /// knows them): <c>sacct --batch-script</c>, used whatever the Slurm version (it works on 22.05 with
    /// AccountingStoreFlags=job_script; upstream gates it at 24.05), plus <c>sacct --format=…StdOut…</c> from 24.05 on.
    /// </remarks>
    public async Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var controlTask = RunAsync(user, SlurmCliCommands.ScontrolJob(jobId), cancellationToken);
        var scriptTask = RunAsync(user, SlurmCliCommands.BatchScript(jobId), cancellationToken);
        await Task.WhenAll(controlTask, scriptTask).ConfigureAwait(false);
        var control = await controlTask.ConfigureAwait(false);
        var script = await scriptTask.ConfigureAwait(false);
        var text = script.ExitStatus == 0 ? script.Stdout : null;
        if (control.ExitStatus == 0)
        {
            // `scontrol show job 0` lists every job: keep only the job asked for (and its array elements).
            var records = SlurmControlParsers.ParseRecords(control.Stdout)
                .Where(r => r.TryGetValue("JobId", out var id) && IsJobOrElement(id, jobId)).ToList();
            if (records.Count > 0)
            {
                // Each source can fail alone (a busy slurmctld, a script file already purged): the other one fills in.
                text ??= await ScriptFromAccountingAsync(user, jobId, cancellationToken).ConfigureAwait(false);
                return records.Select(r => FromControl(r, text)).ToList();
            }
        }
        var fromAccounting = (await MetadataFromAccountingAsync(user, jobId, cancellationToken).ConfigureAwait(false))
            .Where(m => IsJobOrElement(m.JobId, jobId)).ToList();
        // Right after the end slurmdbd may not have the script yet while slurmctld still answered with it.
        foreach (var m in fromAccounting) m.Script ??= text;
        return fromAccounting;
    }

    private async Task<string?> ScriptFromAccountingAsync(UserIdentity user, string jobId, CancellationToken ct)
    {
        var result = await RunAsync(user, SlurmCliCommands.SacctBatchScript(jobId), ct).ConfigureAwait(false);
        return result.ExitStatus == 0 ? SlurmControlParsers.ParseBatchScripts(result.Stdout).GetValueOrDefault(jobId) : null;
    }

    private static JobMetadata FromControl(IReadOnlyDictionary<string, string> r, string? script)
    {
        var id = r["JobId"];
        var name = r.GetValueOrDefault("JobName");
        var owner = r.GetValueOrDefault("UserId") is { } u && u.IndexOf('(') is var p and > 0 ? u[..p] : r.GetValueOrDefault("UserId");
        var workDir = SchedulerText.NullIfPlaceholder(r.GetValueOrDefault("WorkDir"));
        return new JobMetadata
        {
            JobId = id,
            Script = script,
            StandardInput = SlurmControlParsers.ResolvePath(r.GetValueOrDefault("StdIn"), id, name, owner, workDir),
            StandardOutput = SlurmControlParsers.ResolvePath(r.GetValueOrDefault("StdOut"), id, name, owner, workDir),
            StandardError = SlurmControlParsers.ResolvePath(r.GetValueOrDefault("StdErr"), id, name, owner, workDir),
        };
    }

    internal async Task<IReadOnlyList<JobMetadata>> MetadataFromAccountingAsync(UserIdentity user, string jobId, CancellationToken ct)
    {
        var scriptResult = await RunAsync(user, SlurmCliCommands.SacctBatchScript(jobId), ct).ConfigureAwait(false);
        var scripts = scriptResult.ExitStatus == 0 ? SlurmControlParsers.ParseBatchScripts(scriptResult.Stdout) : [];
        var streams = new Dictionary<string, JobMetadata>(StringComparer.Ordinal);
        if (VersionAtLeast(_cluster.Scheduler.Version, 24, 5))
        {
            var result = await RunAsync(user, SlurmCliCommands.SacctStreams(jobId), ct).ConfigureAwait(false);
            if (result.ExitStatus == 0)
            {
                foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var f = line.TrimEnd('\r').Split('|');
                    if (f.Length != 6 || f[0].Contains('.')) continue;
                    streams[f[0]] = new JobMetadata
                    {
                        JobId = f[0],
                        StandardInput = SlurmControlParsers.ResolvePath(f[2], f[0], f[1], user.Username, f[5]),
                        StandardOutput = SlurmControlParsers.ResolvePath(f[3], f[0], f[1], user.Username, f[5]),
                        StandardError = SlurmControlParsers.ResolvePath(f[4], f[0], f[1], user.Username, f[5]),
                    };
                }
            }
        }
        else
        {
            var result = await RunAsync(user, SlurmCliCommands.SacctSubmission(jobId), ct).ConfigureAwait(false);
            if (result.ExitStatus == 0)
            {
                foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var f = line.TrimEnd('\r').Split('|', 7);
                    // Right after a job ends, 22.05 shows a placeholder row without WorkDir or SubmitLine: no paths from it.
                    if (f.Length != 7 || f[0].Contains('.') || SchedulerText.NullIfPlaceholder(f[4]) is null) continue;
                    var (input, output, error) = SlurmOutputPatterns.Find(f[6], scripts.GetValueOrDefault(f[0]) ?? scripts.GetValueOrDefault(f[0].Split('_')[0]), f[0].Contains('_'));
                    var node = SchedulerText.NullIfPlaceholder(f[5]) is { } nodes ? FirstNode(nodes) : null;
                    var owner = f[3].Length > 0 ? f[3] : user.Username;
                    var workDir = SchedulerText.NullIfPlaceholder(f[4]);
                    streams[f[0]] = new JobMetadata
                    {
                        JobId = f[0],
                        StandardInput = SlurmControlParsers.ResolvePath(input, f[0], f[2], owner, workDir, node, f[1]),
                        StandardOutput = SlurmControlParsers.ResolvePath(output, f[0], f[2], owner, workDir, node, f[1]),
                        StandardError = SlurmControlParsers.ResolvePath(error, f[0], f[2], owner, workDir, node, f[1]),
                    };
                }
            }
        }
        foreach (var (id, text) in scripts)
        {
            if (!streams.TryGetValue(id, out var m)) streams[id] = m = new JobMetadata { JobId = id };
            m.Script = text;
        }
        return streams.Values.ToList();
    }

    /// <summary>The first host of a Slurm node list (<c>nid[001-004],x</c> → <c>nid001</c>).</summary>
    internal static string FirstNode(string nodes)
    {
        var first = nodes.Split(',')[0];
        var bracket = first.IndexOf('[');
        if (bracket < 0) return first;
        var range = nodes[(bracket + 1)..].Split(',', '-', ']')[0];
        return first[..bracket] + range;
    }

    /// <summary>True when <paramref name="version"/> (e.g. <c>22.05.8</c>) is at least major.minor.</summary>
    internal static bool VersionAtLeast(string? version, int major, int minor)
    {
        var parts = (version ?? "").Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], out var ma) || !int.TryParse(parts[1], out var mi)) return false;
        return ma > major || (ma == major && mi >= minor);
    }

    /// <inheritdoc/>
    public async Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var result = await RunAsync(user, SlurmCliCommands.Cancel(jobId), cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus == 0 && !result.Stderr.Contains("error:", StringComparison.OrdinalIgnoreCase)) return;
        var kind = RemoteErrorClassifier.Classify(result.ExitStatus, result.Stderr);
        var message = result.Stderr.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase)
            ? $"Job {jobId} has already ended; there is nothing to cancel." : SlurmMessage(result);
        throw new HpcException(kind, message) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
    }

    /// <inheritdoc/>
    public Task HoldJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        HoldOrReleaseAsync(user, jobId, SlurmCliCommands.Hold(jobId), "held", cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) =>
        HoldOrReleaseAsync(user, jobId, SlurmCliCommands.Release(jobId), "released", cancellationToken);

    private async Task HoldOrReleaseAsync(UserIdentity user, string jobId, RemoteCommand command, string verb, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var result = await RunAsync(user, command, cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus == 0) return;
        throw HoldError(result, jobId, verb);
    }

    /// <summary>Maps a failed scontrol hold/release: an ended or started job is InvalidArgument with a plain reason.</summary>
    internal static HpcException HoldError(RemoteCommandResult result, string jobId, string verb)
    {
        var stderr = result.Stderr;
        var (kind, message) =
            stderr.Contains("already finished", StringComparison.OrdinalIgnoreCase) ? (HpcErrorKind.InvalidArgument, $"Job {jobId} has already ended; it cannot be {verb}.")
            : stderr.Contains("no longer pending", StringComparison.OrdinalIgnoreCase) || stderr.Contains("not pending", StringComparison.OrdinalIgnoreCase)
                ? (HpcErrorKind.InvalidArgument, $"Job {jobId} is no longer pending (it has started); only a pending job can be {verb}.")
            : (RemoteErrorClassifier.Classify(result.ExitStatus, stderr), SlurmMessage(result));
        return new HpcException(kind, message) { ExitStatus = result.ExitStatus, Stderr = stderr };
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JobAccounting>> GetJobAccountingAsync(UserIdentity user, string jobId, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        var stdout = CheckedOutput(await RunAsync(user, SlurmCliCommands.SacctAccounting(jobId), cancellationToken).ConfigureAwait(false));
        return SlurmAccounting.Parse(stdout).Where(a => IsJobOrElement(a.JobId, jobId)).ToList();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PartitionDetails>> GetPartitionDetailsAsync(UserIdentity user, CancellationToken cancellationToken) =>
        SlurmControlParsers.ParsePartitionDetails(await CheckedAsync(user, SlurmCliCommands.Partitions(), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NodeResources>> GetNodeResourcesAsync(UserIdentity user, CancellationToken cancellationToken) =>
        SlurmNodeResources.Parse(await CheckedAsync(user, SlurmCliCommands.NodeResources(), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken)
    {
        JobId.Parse(jobId, JobId.DefaultField);
        if (string.IsNullOrWhiteSpace(command)) throw new HpcException(HpcErrorKind.InvalidArgument, "A command is required.");
        var timeout = _cluster.Ssh.Timeout.CommandExecution;
        var result = await RunAsync(user, SlurmCliCommands.Attach(jobId, command, timeout), cancellationToken).ConfigureAwait(false);
        if (result.ExitStatus != 0) throw AttachError(result, jobId, timeout);
    }

    /// <summary>
    /// Maps a failed attach: srun's "Invalid job id" → NotFound, "Access/permission denied" → PermissionDenied, a job
    /// that is not running → InvalidArgument, exit 124 of <c>timeout</c> → Timeout; else the command's own failure.
    /// </summary>
    internal static HpcException AttachError(RemoteCommandResult result, string jobId, double timeoutSeconds)
    {
        var stderr = result.Stderr;
        var (kind, message) =
            stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? (HpcErrorKind.NotFound, $"Job {jobId} not found.")
            : stderr.Contains("Access/permission denied", StringComparison.OrdinalIgnoreCase) ? (HpcErrorKind.PermissionDenied, $"Job {jobId} belongs to another user.")
            : stderr.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase)
              || stderr.Contains("is not running", StringComparison.OrdinalIgnoreCase)
              || stderr.Contains("Job is pending execution", StringComparison.OrdinalIgnoreCase)
                ? (HpcErrorKind.InvalidArgument, $"Job {jobId} is not running: {SlurmMessage(result)}")
            : result.ExitStatus == 124 ? (HpcErrorKind.Timeout, $"The command did not finish within {timeoutSeconds:0.###} s and was stopped.")
            : (HpcErrorKind.Internal, SlurmMessage(result));
        return new HpcException(kind, message) { ExitStatus = result.ExitStatus, Stderr = stderr };
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) =>
        SlurmControlParsers.ParseNodes(await CheckedAsync(user, SlurmCliCommands.Nodes(), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) =>
        SlurmControlParsers.ParsePartitions(await CheckedAsync(user, SlurmCliCommands.Partitions(), cancellationToken).ConfigureAwait(false), showHidden);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var stdout = await CheckedAsync(user, SlurmCliCommands.Reservations(), cancellationToken).ConfigureAwait(false);
        return SlurmControlParsers.ParseReservations(stdout, Clock.GetUtcNow(), TimeZone);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var assoc = RunAsync(user, SlurmCliCommands.Associations(user.Username), cancellationToken);
        var def = RunAsync(user, SlurmCliCommands.DefaultAccount(user.Username), cancellationToken);
        await Task.WhenAll(assoc, def).ConfigureAwait(false);
        var names = Lines(Checked(await assoc.ConfigureAwait(false)));
        var defaults = Lines(Checked(await def.ConfigureAwait(false)));
        return names.Distinct(StringComparer.Ordinal)
            .Select(n => new SchedulerAccount { Name = n, Default = defaults.Contains(n, StringComparer.Ordinal) }).ToList();
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim().TrimEnd('|').Trim()).Where(l => l.Length > 0).ToList();

    /// <inheritdoc/>
    public async Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        var result = await RunAsync(user, SlurmCliCommands.Ping(), cancellationToken).ConfigureAwait(false);
        var (healthy, message) = SlurmControlParsers.ParsePing(result.Stdout);
        if (string.IsNullOrEmpty(message)) message = SlurmMessage(result);
        return (healthy, message);
    }

    private async Task<string> CheckedAsync(UserIdentity user, RemoteCommand command, CancellationToken ct) =>
        Checked(await RunAsync(user, command, ct).ConfigureAwait(false));

    private static string Checked(RemoteCommandResult result) =>
        result.ExitStatus == 0 ? result.Stdout
            : throw new HpcException(HpcErrorKind.Internal, SlurmMessage(result)) { ExitStatus = result.ExitStatus, Stderr = result.Stderr };
}
