using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>Batch jobs: submit, list, inspect, wait for, cancel, read their output.</summary>
[McpServerToolType]
public sealed class JobsTools(IHpcOperationsAccessor operations, ToolGuard guard, TimeProvider time)
{
    /// <summary>Result of <c>submit_job</c>.</summary>
    /// <param name="System">System name.</param>
    /// <param name="JobId">Scheduler job id, for wait_for_job, get_job and get_job_output.</param>
    /// <param name="WorkingDirectory">Directory the job runs in.</param>
    public sealed record SubmittedJob(string System, string JobId, string WorkingDirectory);

    /// <summary>Result of <c>cancel_job</c>.</summary>
    /// <param name="System">System.</param>
    /// <param name="JobId">Job id.</param>
    /// <param name="CancelRequested">True when a cancel was requested now; false when the job had already ended (nothing to cancel).</param>
    /// <param name="Job">The job as listed after the request (its final state when it had already ended); null when not listed yet.</param>
    public sealed record CancelledJob(string System, string JobId, bool CancelRequested, JobView? Job);

    /// <summary>Result of <c>list_jobs</c>.</summary>
    /// <param name="Items">The jobs, newest first.</param>
    /// <param name="Total">How many jobs matched before the limit.</param>
    /// <param name="Truncated">True when more jobs matched than 'limit'; narrow with state, since or name.</param>
    public sealed record JobList(IReadOnlyList<JobView> Items, int Total, bool Truncated);

    /// <summary>One job as the tools show it.</summary>
    /// <param name="JobId">Scheduler job id.</param>
    /// <param name="Name">Job name.</param>
    /// <param name="State">State: pending, running, completed, failed, cancelled, timeout, …</param>
    /// <param name="RawState">The scheduler's own state word.</param>
    /// <param name="Reason">Why the job waits or ended, as the scheduler says.</param>
    /// <param name="ExitCode">Exit code the job script ended with; null while the job has not ended, or when it was cancelled or timed out without one.</param>
    /// <param name="Partition">Partition (queue).</param>
    /// <param name="Account">Account charged.</param>
    /// <param name="User">Owner.</param>
    /// <param name="Nodes">Nodes the job ran on.</param>
    /// <param name="ElapsedSeconds">Run time so far in seconds.</param>
    /// <param name="WorkingDirectory">Directory the job runs in.</param>
    public sealed record JobView(string JobId, string? Name, string State, string RawState, string? Reason, int? ExitCode,
        string? Partition, string? Account, string? User, string? Nodes, long? ElapsedSeconds, string? WorkingDirectory);

    /// <summary>Result of <c>get_job</c>.</summary>
    /// <param name="Job">The job.</param>
    /// <param name="StandardOutput">Path of its stdout file.</param>
    /// <param name="StandardError">Path of its stderr file.</param>
    /// <param name="Script">The job script.</param>
    public sealed record JobDetails(JobView Job, string? StandardOutput, string? StandardError, string? Script);

    /// <summary>Result of <c>get_job_output</c>.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Stream">stdout or stderr.</param>
    /// <param name="Path">The output file read.</param>
    /// <param name="Content">Its last lines (capped in size).</param>
    /// <param name="Truncated">True when the content was cut at the size cap.</param>
    public sealed record JobOutput(string JobId, string Stream, string Path, string Content, bool Truncated);

    /// <summary>Result of <c>wait_for_job</c>.</summary>
    /// <param name="Job">The job as last seen.</param>
    /// <param name="Finished">True when the job ended; false when the wait timed out first.</param>
    /// <param name="WaitedSeconds">How long the wait took.</param>
    public sealed record WaitResult(JobView Job, bool Finished, double WaitedSeconds);

    /// <summary>The submit arguments as the MCP tools name them.</summary>
    internal static readonly SubmitPreflight.FieldNames McpFieldNames = new("system", "working_directory", "partition", "account");

    [McpServerTool(Name = "submit_job", Title = "Submit job", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(SubmittedJob))]
    [Description("Submits a batch job: a shell script the scheduler (e.g. Slurm) runs on a compute node when resources are free. " +
        "The script starts with '#!/bin/bash' and may contain scheduler options as comments, e.g. '#SBATCH --time=00:10:00' and '#SBATCH --ntasks=1'. " +
        "Returns the job id at once; the job usually waits ('pending') before it runs. Then call wait_for_job, and get_job_output to read what it printed. " +
        "Each call submits a new job: do not retry blindly, check list_jobs first.")]
    public async Task<CallToolResult> SubmitJob(
        [Description("System name from list_systems.")] string system,
        [Description("The job script text, starting with '#!/bin/bash'.")] string script,
        [Description("Absolute directory on the cluster where the job runs and writes its output files, e.g. the home directory from get_user_info.")] string working_directory,
        [Description("Optional short job name shown by list_jobs.")] string? name = null,
        [Description("Optional account (project) to charge; see get_user_info. Leave empty for the default.")] string? account = null,
        [Description("Optional partition (queue) from list_partitions. Leave empty for the default.")] string? partition = null,
        [Description("Optional environment variables for the job, as name/value pairs.")] Dictionary<string, string>? environment = null,
        [Description("Optional path of the standard output file (default: slurm-<jobid>.out in the working directory).")] string? stdout_path = null,
        [Description("Optional path of the standard error file (default: same as standard output).")] string? stderr_path = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        guard.Path(working_directory, "working_directory");
        if (stdout_path is not null) guard.Path(stdout_path, "stdout_path");
        if (stderr_path is not null) guard.Path(stderr_path, "stderr_path");
        if (string.IsNullOrWhiteSpace(script))
            throw new McpException("The 'script' argument is empty. Give the whole job script, e.g. \"#!/bin/bash\\n#SBATCH --time=00:05:00\\nhostname\\n\".");
        await SubmitPreflight.CheckAsync(operations.Get(), system, working_directory, NullIfEmpty(partition), NullIfEmpty(account), McpFieldNames, cancellationToken);
        var job = new JobDescription
        {
            Name = string.IsNullOrWhiteSpace(name) ? "mcp-job" : name, Account = NullIfEmpty(account), Partition = NullIfEmpty(partition),
            WorkingDirectory = working_directory, Script = script, Env = environment, StandardOutput = stdout_path, StandardError = stderr_path,
        };
        var id = await operations.Get().Compute.SubmitJobAsync(system, job, cancellationToken: cancellationToken);
        return ToolResults.Of(new SubmittedJob(system, id, working_directory),
            $"Submitted job {id} on {system}. Next: wait_for_job with job_id \"{id}\", then get_job_output.");
    }

    [McpServerTool(Name = "list_jobs", Title = "List jobs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobList))]
    [Description("Lists your recent and current jobs on a system with their state: pending (waiting for resources), running, held, completed, " +
        "failed, cancelled or timeout (killed at its time limit). Newest first and at most 'limit' jobs; 'truncated' says when more matched: narrow with state, since or name.")]
    public async Task<CallToolResult> ListJobs(
        [Description("System name from list_systems.")] string system,
        [Description("Include jobs of all users, not only yours (default false).")] bool all_users = false,
        [Description("Optional: only jobs with this name.")] string? name = null,
        [Description("Most jobs returned (1 to 1000, default 50).")] int limit = JobListFilter.DefaultLimit,
        [Description("Optional: only jobs in these states: pending, running, held, completed, failed, cancelled, timeout.")] string[]? state = null,
        [Description("Optional: only jobs still alive at or after this moment (ISO 8601, e.g. 2026-12-03T08:00:00Z); pending and running jobs always match. Looks back at most 7 days; default 24 hours.")] DateTimeOffset? since = null,
        CancellationToken cancellationToken = default)
    {
        var filter = new JobListFilter(limit, JobListFilter.ParseStates(state), since, NullIfEmpty(name));
        var jobs = await operations.Get().Compute.GetJobsAsync(guard.System(system),
            new JobQuery(all_users, Name: filter.Name, TimeWindow: filter.TimeWindow(time.GetUtcNow())), cancellationToken);
        var page = filter.Apply(jobs);
        var views = page.Jobs.Select(View).ToArray();
        var text = views.Length == 0 ? $"No jobs on {system}."
            : $"{views.Length} of {page.Total} job(s) on {system}: " + string.Join("; ", views.Take(20).Select(v => $"{v.JobId} {v.Name} {v.State}")) + (views.Length > 20 ? "; ..." : "")
              + (page.Truncated ? $" (truncated at {limit}: narrow with state, since or name)" : "");
        return ToolResults.Of(new JobList(views, page.Total, page.Truncated), text);
    }

    /// <summary>One job with its files.</summary>
    [McpServerTool(Name = "get_job", Title = "Job details", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobDetails))]
    [Description("Shows one job: its state, the reason it waits or failed, its exit code, where its output files are and its script.")]
    public async Task<CallToolResult> GetJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id from submit_job or list_jobs, as a string, e.g. \"12345\".")] string job_id,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        ToolGuard.JobId(job_id);
        var details = await DetailsAsync(system, job_id, cancellationToken);
        return ToolResults.Of(details, Describe(details.Job) + (details.StandardOutput is { } o ? $"; stdout: {o}" : ""));
    }

    /// <summary>Waits for a job to finish.</summary>
    [McpServerTool(Name = "wait_for_job", Title = "Wait for job", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(WaitResult))]
    [Description("Waits until a job has finished (completed, failed, cancelled or timeout) or until timeout_seconds have passed, and " +
        "returns its state. Sends progress notifications while waiting. If it returns with finished=false, the job is still pending or " +
        "running: call it again or check get_job. Nothing is cancelled when the wait ends.")]
    public async Task<CallToolResult> WaitForJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id from submit_job, as a string, e.g. \"12345\".")] string job_id,
        RequestContext<CallToolRequestParams> context,
        [Description("Longest time to wait in seconds (1 to 3600, default 300).")][Range(1, 3600)] int timeout_seconds = 300,
        [Description("Longest seconds between state checks (1 to 60, default 5); checks start every second and slow down to this.")][Range(1, 60)] int poll_seconds = 5,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        ToolGuard.JobId(job_id);
        if (timeout_seconds is < 1 or > 3600) throw new McpException("timeout_seconds must be between 1 and 3600.");
        if (poll_seconds is < 1 or > 60) throw new McpException("poll_seconds must be between 1 and 60.");
        var result = await McpWaitProgress.WaitAsync(operations.Get(), time, context, "job", system, job_id,
            new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(poll_seconds), factor: 1.5), TimeSpan.FromSeconds(timeout_seconds), cancellationToken);
        var waited = result.Elapsed.TotalSeconds;
        if (result.Job is null)
            throw new McpException($"Job {job_id} is not listed on {system} yet after {waited:0} s. Check the id with list_jobs, or call wait_for_job again.");
        var job = View(result.Job);
        var text = !result.TimedOut ? $"Job {job_id} finished: {Describe(job)}. Next: get_job_output."
            : $"Job {job_id} is still {job.State} after {waited:0} s. Call wait_for_job again, or get_job for the reason it waits.";
        return ToolResults.Of(new WaitResult(job, !result.TimedOut, Math.Round(waited, 1)), text);
    }

    [McpServerTool(Name = "cancel_job", Title = "Cancel job", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CancelledJob))]
    [Description("Cancels a job: a pending job never starts, a running job is killed and its work is lost. Only your own jobs can be cancelled. " +
        "Safe to repeat: a job that has already ended is not an error, the answer says so (cancelRequested false) and gives its final state.")]
    public async Task<CallToolResult> CancelJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id to cancel, as a string, e.g. \"12345\".")] string job_id,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        ToolGuard.JobId(job_id);
        var outcome = await JobCancellation.CancelAsync(operations.Get(), system, ToolGuard.JobId(job_id), cancellationToken);
        var job = outcome.Job is null ? null : View(outcome.Job);
        var text = outcome.CancelRequested
            ? $"Cancel requested for job {job_id} on {system}; get_job shows when it is cancelled."
            : $"Job {job_id} had already ended, nothing to cancel: {Describe(job!)}.";
        return ToolResults.Of(new CancelledJob(system, job_id, outcome.CancelRequested, job), text);
    }

    /// <summary>The end of a job's stdout or stderr.</summary>
    [McpServerTool(Name = "get_job_output", Title = "Job output", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(JobOutput))]
    [Description("Returns the last lines a job printed, from its standard output (stdout, normal messages) or standard error " +
        "(stderr, error messages). A job that has not started yet has no output. The text is capped in size; use read_file on the path for other parts.")]
    public async Task<CallToolResult> GetJobOutput(
        [Description("System name from list_systems.")] string system,
        [Description("Job id, as a string, e.g. \"12345\".")] string job_id,
        [Description("Which output: \"stdout\" (default) or \"stderr\".")][AllowedValues("stdout", "stderr")] string stream = "stdout",
        [Description("How many lines from the end (1 to 10000, default 100).")][Range(1, 10000)] int lines = 100,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        ToolGuard.JobId(job_id);
        if (lines is < 1 or > 10000) throw new McpException("lines must be between 1 and 10000.");
        var path = await OutputPathAsync(system, job_id, stream, cancellationToken);
        var tail = await operations.Get().Files.TailAsync(system, guard.Path(path), lines: lines, cancellationToken: cancellationToken);
        var (content, truncated) = ToolResults.Cap(tail.Content, guard.Options.MaxOutputBytes, keepEnd: true);
        var output = new JobOutput(job_id, stream, path, content, truncated);
        return ToolResults.Of(output, content.Length == 0 ? $"The {stream} of job {job_id} ({path}) is empty." : content);
    }

    /// <summary>The stdout or stderr path of a job (shared with the resources).</summary>
    internal async Task<string> OutputPathAsync(string system, string jobId, string stream, CancellationToken cancellationToken)
    {
        if (stream is not ("stdout" or "stderr")) throw new McpException("stream must be \"stdout\" or \"stderr\".");
        return (await JobOutputLocator.LocateAsync(operations.Get(), system, ToolGuard.JobId(jobId), stream == "stderr", cancellationToken)).Value;
    }

    internal async Task<JobDetails> DetailsAsync(string system, string jobId, CancellationToken cancellationToken)
    {
        var ops = operations.Get();
        var job = View((await ops.Compute.GetJobAsync(system, ToolGuard.JobId(jobId), cancellationToken))[0]);
        JobMetadata? meta = null;
        try { meta = (await ops.Compute.GetJobMetadataAsync(system, ToolGuard.JobId(jobId), cancellationToken)).FirstOrDefault(); }
        catch (HpcException) { /* metadata is gone for old jobs; the state is still useful */ }
        return new JobDetails(job, meta?.StandardOutput, meta?.StandardError, meta?.Script);
    }

    internal static JobView View(Job j) => new(j.JobId, j.Name, j.State.ToString().ToLowerInvariant(), j.Status.State, j.Status.StateReason,
        j.EndedExitCode, j.Partition, j.Account, j.User, j.Nodes, j.Time.Elapsed, j.WorkingDirectory);

    private static string Describe(JobView j) =>
        $"job {j.JobId} ({j.Name}) is {j.State}" + (j.ExitCode is { } c ? $", exit code {c}" : "") +
        (string.IsNullOrEmpty(j.Reason) || j.Reason == "None" ? "" : $", reason {j.Reason}");

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
