using System.Text.RegularExpressions;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Ssh;

namespace Firecrest.Integration.Tests.DataTransfer;

/// <summary>
/// A minimal <see cref="IScheduler"/> for the data-mover tests until the Slurm adapter lands: submits with
/// <c>sbatch</c> over SSH (script on stdin, every value shell-quoted) and reads states with <c>sacct</c>.
/// </summary>
public sealed partial class SbatchSubmitter(IRemoteShell shell, string system) : IScheduler
{
    /// <summary>Log files of the submitted jobs (the tests remove them at the end).</summary>
    public System.Collections.Concurrent.ConcurrentBag<(UserIdentity User, string Path)> LogFiles { get; } = [];

    public async Task<string> SubmitJobAsync(UserIdentity user, JobDescription job, CancellationToken cancellationToken)
    {
        if (job.StandardOutput is not null) LogFiles.Add((user, job.StandardOutput));
        if (job.StandardError is not null) LogFiles.Add((user, job.StandardError));
        var env = string.Join(',', (job.Env ?? []).Select(kv => $"{kv.Key}={kv.Value}"));
        var args = new List<string> { $"--export=ALL{(env.Length > 0 ? "," + env : "")}", $"--chdir={job.WorkingDirectory}" };
        if (job.Name is not null) args.Add($"--job-name={job.Name}");
        if (job.Account is not null) args.Add($"--account={job.Account}");
        if (job.StandardOutput is not null) args.Add($"--output={job.StandardOutput}");
        if (job.StandardError is not null) args.Add($"--error={job.StandardError}");
        if (job.StandardInput is not null) args.Add($"--input={job.StandardInput}");
        var r = await shell.RunAsync(system, user, new RemoteCommand("sbatch " + ShellQuote.Join(args)) { Stdin = job.Script, Idempotent = false }, cancellationToken);
        var m = SubmittedRegex().Match(r.Stdout);
        if (r.ExitStatus == 0 && m.Success) return m.Groups[1].Value;
        var kind = r.Stderr.Contains("Invalid account", StringComparison.Ordinal) ? HpcErrorKind.InvalidArgument : HpcErrorKind.Internal;
        throw new HpcException(kind, $"sbatch failed: {r.Stderr.Trim()}") { ExitStatus = r.ExitStatus, Stderr = r.Stderr };
    }

    /// <summary>Polls sacct until the job reaches a final state or the deadline passes; returns the state and exit code.</summary>
    public async Task<(JobState State, string ExitCode)> WaitAsync(UserIdentity user, string jobId, TimeSpan deadline, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(deadline);
        var last = "";
        try
        {
            while (true)
            {
                var r = await shell.RunAsync(system, user, new RemoteCommand($"sacct -X -n -P -j {ShellQuote.Quote(jobId)} -o State,ExitCode,JobName"), cts.Token);
                last = r.Stdout.Trim();
                var f = last.Split('\n')[0].Split('|');
                // Right after a job ends sacct may show a placeholder row (JobName=allocation): wait for the real one.
                if (f.Length == 3 && f[2] != "allocation" && JobStates.IsFinal(JobStates.Normalize(f[0])))
                    return (JobStates.Normalize(f[0]), f[1]);
                await Task.Delay(1000, cts.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"job {jobId} did not finish within {deadline}; last sacct row: '{last}'");
        }
    }

    public Task<IReadOnlyList<Job>> GetJobsAsync(UserIdentity user, JobQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Job>> GetJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task CancelJobAsync(UserIdentity user, string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task AttachAsync(UserIdentity user, string jobId, string command, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Node>> GetNodesAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(UserIdentity user, bool showHidden, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<SchedulerAccount>?> GetAccountsAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<(bool Healthy, string Message)> PingAsync(UserIdentity user, CancellationToken cancellationToken) => throw new NotSupportedException();

    [GeneratedRegex(@"Submitted batch job (\d+)")]
    private static partial Regex SubmittedRegex();
}
