using System.ComponentModel;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>Holding and releasing pending jobs, and one-call job descriptions.</summary>
[McpServerToolType]
public sealed class JobControlTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    /// <summary>Result of <c>hold_job</c> and <c>release_job</c>.</summary>
    /// <param name="System">System.</param>
    /// <param name="JobId">Job id.</param>
    /// <param name="Held">True after hold_job, false after release_job.</param>
    /// <param name="Job">The job as listed after the change; null when not listed.</param>
    public sealed record HoldResult(string System, string JobId, bool Held, JobsTools.JobView? Job);

    /// <summary>Result of <c>describe_job</c>.</summary>
    /// <param name="Job">State, reason, exit code, partition, account, nodes, elapsed seconds, working directory.</param>
    /// <param name="TimeLimitSeconds">The job's time limit; null when unlimited or unknown.</param>
    /// <param name="Tasks">Array tasks or steps, when there are any.</param>
    /// <param name="Accounting">Resource use: CPUs and nodes allocated, CPU time, max RSS in bytes, requested memory, cpuEfficiency (CPU time / (elapsed × CPUs)), timeLimitUsed (elapsed / limit); null when not available.</param>
    /// <param name="AccountingNote">Why accounting is missing, when it is.</param>
    /// <param name="OutputPath">The stdout file.</param>
    /// <param name="OutputTail">Its last lines (capped in size).</param>
    /// <param name="ErrorPath">The stderr file when separate from stdout.</param>
    /// <param name="ErrorTail">Its last lines.</param>
    public sealed record JobDescriptionView(JobsTools.JobView Job, long? TimeLimitSeconds, IReadOnlyList<string>? Tasks, JobAccounting? Accounting, string? AccountingNote,
        string? OutputPath, string? OutputTail, string? ErrorPath, string? ErrorTail);

    [EngineOnly]
    [McpServerTool(Name = "hold_job", Title = "Hold a pending job", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(HoldResult))]
    [Description("Keeps a pending job from starting (it stays in the queue, state held) until release_job. Only pending jobs can be held; a running or ended job is refused with the reason. " +
        "Holding a held job again changes nothing. Not available through a FirecREST server in remote mode (not part of the FirecREST v2 API).")]
    public Task<CallToolResult> HoldJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id of a pending job, e.g. \"12345\".")] string job_id,
        CancellationToken cancellationToken = default) => ChangeHoldAsync(system, job_id, hold: true, cancellationToken);

    [EngineOnly]
    [McpServerTool(Name = "release_job", Title = "Release a held job", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(HoldResult))]
    [Description("Lets a job held by hold_job (or submitted held) start again when resources are free. Releasing a job that is not held changes nothing. " +
        "Not available through a FirecREST server in remote mode.")]
    public Task<CallToolResult> ReleaseJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id of a held job, e.g. \"12345\".")] string job_id,
        CancellationToken cancellationToken = default) => ChangeHoldAsync(system, job_id, hold: false, cancellationToken);

    private async Task<CallToolResult> ChangeHoldAsync(string system, string jobId, bool hold, CancellationToken cancellationToken)
    {
        guard.System(system);
        var id = ToolGuard.JobId(jobId);
        var ops = operations.Get();
        var scheduler = SchedulerOperations.Of(ops, hold ? "Holding a job" : "Releasing a job");
        if (hold) await scheduler.HoldJobAsync(system, id, cancellationToken);
        else await scheduler.ReleaseJobAsync(system, id, cancellationToken);
        var job = (await ops.Compute.GetJobAsync(system, id, cancellationToken)).LastOrDefault();
        var view = job is null ? null : JobsTools.View(job);
        return ToolResults.Of(new HoldResult(system, jobId, hold, view),
            hold ? $"Job {jobId} is held: it will not start until release_job." : $"Job {jobId} is released: it starts when resources are free.");
    }

    [McpServerTool(Name = "describe_job", Title = "Describe a job", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(JobDescriptionView))]
    [Description("Everything about one job in one call: its state and the reason it waits or failed, its exit code, the resources it got and used " +
        "(CPU time, max memory, elapsed time against its time limit, CPU efficiency; from accounting, in direct mode and on the server's /mcp) and the last lines of its output and error files.")]
    public async Task<CallToolResult> DescribeJob(
        [Description("System name from list_systems.")] string system,
        [Description("Job id, e.g. \"12345\" (array task \"12345_3\").")] string job_id,
        [Description("Lines of output and error to include from the end (0 to 1000, default 20).")] int tail_lines = 20,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        if (tail_lines is < 0 or > 1000) throw new McpException($"tail_lines must be between 0 and 1000; got {tail_lines}.");
        var report = await JobReport.BuildAsync(operations.Get(), system, ToolGuard.JobId(job_id), tail_lines, cancellationToken);
        var outTail = report.OutputTail is null ? null : ToolResults.Cap(report.OutputTail, guard.Options.MaxOutputBytes / 2, keepEnd: true).Text;
        var errTail = report.ErrorTail is null ? null : ToolResults.Cap(report.ErrorTail, guard.Options.MaxOutputBytes / 2, keepEnd: true).Text;
        var job = JobsTools.View(report.Job);
        var tasks = report.Job.Tasks?.Where(t => t.Id.Contains('_')).Select(t => $"{t.Id} {JobStates.Normalize(t.Status.State, t.Status.ExitCode).ToString().ToLowerInvariant()}").ToList();
        var view = new JobDescriptionView(job, report.Job.Time.Limit, tasks is { Count: > 0 } ? tasks : null, report.Accounting, report.AccountingNote,
            report.OutputPath, outTail, report.ErrorPath, errTail);
        return ToolResults.Of(view, Summary(view));
    }

    private static string Summary(JobDescriptionView v)
    {
        var j = v.Job;
        var text = $"Job {j.JobId} ({j.Name}) is {j.State}" + (string.IsNullOrEmpty(j.Reason) || j.Reason == "None" ? "" : $", reason {j.Reason}")
            + (j.ExitCode is { } c ? $", exit code {c}" : "") + ".";
        if (v.Accounting is { } a)
            text += $" Elapsed {a.ElapsedSeconds} s" + (a.TimeLimitSeconds is { } l ? $" of {l} s" : " (no limit)") + $", {a.AllocatedCpus} CPU(s)"
                + (a.CpuTimeSeconds is { } cpu ? $", CPU time {cpu} s (efficiency {a.CpuEfficiency:P0})" : ", CPU time not recorded")
                + (a.MaxRssBytes is { } rss ? $", max RSS {rss / (1024 * 1024)} MiB" : "") + ".";
        else if (v.AccountingNote is not null) text += $" No accounting: {v.AccountingNote}.";
        if (v.OutputTail is { Length: > 0 } o) text += $"\n--- end of {v.OutputPath} ---\n{o}";
        if (v.ErrorTail is { Length: > 0 } e) text += $"\n--- end of {v.ErrorPath} ---\n{e}";
        return text;
    }
}
