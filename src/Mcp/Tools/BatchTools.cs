using System.ComponentModel;
using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Jobs;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>
/// Batch runs: a YAML run file (docs/batch.md) of jobs with dependencies, inputs and outputs, started in the
/// background by <c>run_batch</c> and followed with <c>get_batch_status</c>.
/// </summary>
[McpServerToolType]
public sealed class BatchTools(IHpcOperationsAccessor operations, ToolGuard guard, IBatchRunStore runs, TimeProvider time)
{
    private static readonly HttpClient PresignedHttp = new() { Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>Answer of <c>run_batch</c>.</summary>
    /// <param name="RunId">Id to pass to get_batch_status.</param>
    /// <param name="Plan">Jobs in submission order.</param>
    /// <param name="StateFile">State file that makes a rerun resume, or null for YAML text.</param>
    public sealed record BatchStarted(string RunId, BatchPlan Plan, string? StateFile);

    /// <summary>Validates a run file, starts it in the background and returns the run id and the plan.</summary>
    [McpServerTool(Name = "run_batch", Title = "Run batch", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(BatchStarted))]
    [Description("Runs a set of batch jobs described in YAML: uploads inputs, submits the jobs in dependency order (a job starts only after the jobs it depends on completed), " +
        "waits for them, downloads outputs, skips the jobs that depend on a failed one, and retries jobs that ask for it. Returns at once with a run id and the plan; " +
        "call get_batch_status with the run id to follow it. The file is checked first: an invalid one is refused with file:line:column messages and nothing is submitted. " +
        "Format: 'system: <name from list_systems>', 'defaults: {account, partition, workingDirectory, env, resources}', and 'jobs:' mapping each job name to " +
        "{script: <bash text> | scriptFile: <local file> | remoteScript: <path on the cluster>, resources: {nodes, tasks, cpusPerTask, time, memory, partition, gres}, " +
        "env: {NAME: value}, inputs: {<local path>: <remote path>}, outputs: {<remote path>: <local path>}, dependsOn: [other job names], retries: <count>}. " +
        "Relative remote paths are inside the working directory.")]
    public async Task<CallToolResult> RunBatch(
        [Description("Path of a run file (YAML) on the machine this tool runs on. Give this or 'yaml', not both. A state file '<path>.state.json' is kept next to it.")] string? path = null,
        [Description("The run file's YAML text itself, when there is no file. Give this or 'path'.")] string? yaml = null,
        [Description("true to continue an earlier run of the same file: jobs that completed are not submitted again and jobs still queued or running are followed, not resubmitted. Needs 'path'.")] bool resume = false,
        CancellationToken cancellationToken = default)
    {
        if ((path is null) == (yaml is null)) throw new McpException("Give exactly one of 'path' (a run file) or 'yaml' (the run file's text).");
        if (resume && path is null) throw new McpException("'resume' needs 'path': the state file lives next to the run file.");
        if (path is not null && !guard.Options.LocalFiles)
            throw new McpException("Reading a run file from this machine is disabled (local files are off); pass the YAML text in 'yaml' instead.");
        BatchDefinition definition;
        try
        {
            definition = path is not null ? BatchFile.Load(path) : BatchFile.Parse(yaml!);
        }
        catch (BatchValidationException e)
        {
            throw new McpException("The run file is invalid; nothing was submitted. Fix these and call run_batch again:\n" + string.Join("\n", e.Problems));
        }
        guard.System(definition.System);
        if (!guard.Options.LocalFiles && definition.Jobs.Any(j => j.Inputs.Count > 0 || j.Outputs.Count > 0 || j.ScriptFile is not null))
            throw new McpException("This run file moves local files (inputs, outputs or scriptFile), which is disabled here; use 'script' text and remote paths only.");
        foreach (var job in definition.Jobs) guard.Path(job.WorkingDirectory, $"workingDirectory of job '{job.Name}'");

        var ops = operations.Get();
        // The runner creates missing working directories (mkdir -p), so a missing one only needs a writable ancestor.
        await SubmitPreflight.CheckAsync(ops, definition.System, definition.Jobs.Select(j => new SubmitPreflight.Target(j.WorkingDirectory, j.Resources.Partition, j.Account,
            new SubmitPreflight.FieldNames("system", $"jobs.{j.Name}.workingDirectory", $"jobs.{j.Name}.resources.partition", $"jobs.{j.Name}.account"))).ToList(),
            mayCreateDirectories: true, cancellationToken: cancellationToken);
        // Inputs and outputs of any size: the client-side mover (direct ops for small files, S3 staging for large ones).
        var mover = new TransferClientBatchFileMover(ops, new FileTransferClient(ops, PresignedHttp), new FileTransferOptions { Account = definition.Defaults.Account });
        var runner = new BatchRunner(ops, new BatchRunnerOptions { Resume = resume, FileMover = mover });
        var plan = runner.Plan(definition);
        await runs.EnsureRoomAsync(operations.Caller, cancellationToken);
        var run = BatchRun.Start(operations.Caller, runner, definition, time);
        await runs.AddAsync(run, cancellationToken);
        var id = run.RunId;
        var started = new BatchStarted(id, plan, plan.StateFile);
        return ToolResults.Of(started, $"Batch run {id} started: {plan.Steps.Count} jobs. Call get_batch_status with run_id \"{id}\" to follow it.\n{plan}");
    }

    /// <summary>The report of a batch run so far.</summary>
    [McpServerTool(Name = "get_batch_status", Title = "Batch status", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(BatchRunStatus))]
    [Description("Reports a batch run started by run_batch: for each job its status (waiting, uploading, pending, running, downloading, completed, failed, skipped), " +
        "scheduler job id, exit code, elapsed time, downloaded outputs, attempts and error. Call it again until 'finished' is true (wait a little between calls).")]
    public async Task<CallToolResult> GetBatchStatus(
        [Description("The run id returned by run_batch.")] string run_id,
        CancellationToken cancellationToken = default)
    {
        var status = await runs.GetAsync(operations.Caller, run_id, cancellationToken)
            ?? throw new McpException($"No batch run '{run_id}' of yours in this server (finished runs are kept for a while, then forgotten). Start one with run_batch; to continue an earlier run of a file use run_batch with resume=true.");
        var summary = (status.Finished ? (status.Succeeded ? "Finished: every job completed." : "Finished with failures.") : "Still running.")
            + (status.Error is null ? "" : $" Stopped on an error: {status.Error}") + "\n" + (status.Report?.ToTable() ?? "");
        return ToolResults.Of(status, summary);
    }

    /// <summary>Cancels a batch run.</summary>
    [McpServerTool(Name = "cancel_batch", Title = "Cancel batch", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(BatchRunStatus))]
    [Description("Cancels a batch run started by run_batch: no further job is submitted, its queued and running jobs are cancelled on the scheduler " +
        "(completed jobs and downloaded outputs stay). A run that already finished is left as it ended. Returns the run's status; " +
        "call get_batch_status until 'finished' is true to see the cancellation done.")]
    public async Task<CallToolResult> CancelBatch(
        [Description("The run id returned by run_batch.")] string run_id,
        CancellationToken cancellationToken = default)
    {
        if (!await runs.CancelAsync(operations.Caller, run_id, cancellationToken))
            throw new McpException($"No batch run '{run_id}' of yours in this server (finished runs are kept for a while, then forgotten).");
        var status = await runs.GetAsync(operations.Caller, run_id, cancellationToken)
            ?? throw new McpException($"No batch run '{run_id}' of yours in this server (finished runs are kept for a while, then forgotten).");
        var summary = status.Finished ? $"Batch run {run_id} has ended: {status.Error ?? (status.Succeeded ? "every job completed." : "with failures.")}"
            : $"Batch run {run_id}: cancellation requested; call get_batch_status until it is finished.";
        return ToolResults.Of(status, summary + "\n" + (status.Report?.ToTable() ?? ""));
    }
}
