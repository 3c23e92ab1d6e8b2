using System.Collections.Concurrent;
using System.ComponentModel;
using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Core.DataTransfer.Client;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>
/// Batch runs: a YAML run file (docs/batch.md) of jobs with dependencies, inputs and outputs, started in the
/// background by <c>run_batch</c> and followed with <c>get_batch_status</c>.
/// </summary>
[McpServerToolType]
public sealed class BatchTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    private static readonly HttpClient PresignedHttp = new() { Timeout = TimeSpan.FromMinutes(30) };

    private static readonly ConcurrentDictionary<string, BackgroundRun> Runs = new(StringComparer.Ordinal);

    /// <summary>Answer of <c>run_batch</c>.</summary>
    /// <param name="RunId">Id to pass to get_batch_status.</param>
    /// <param name="Plan">Jobs in submission order.</param>
    /// <param name="StateFile">State file that makes a rerun resume, or null for YAML text.</param>
    public sealed record BatchStarted(string RunId, BatchPlan Plan, string? StateFile);

    /// <summary>Answer of <c>get_batch_status</c>.</summary>
    /// <param name="RunId">Run id.</param>
    /// <param name="Finished">True when the run has ended (every job completed, failed or skipped, or the run stopped on an error).</param>
    /// <param name="Succeeded">True when every job completed.</param>
    /// <param name="Error">Why the run stopped early, if it did.</param>
    /// <param name="Report">Per job: name, job id, status, scheduler state, exit code, elapsed seconds, outputs, attempts, error.</param>
    public sealed record BatchStatus(string RunId, bool Finished, bool Succeeded, string? Error, BatchReport? Report);

    /// <summary>Validates a run file, starts it in the background and returns the run id and the plan.</summary>
    [McpServerTool(Name = "run_batch", Title = "Run batch", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(BatchStarted))]
    [Description("Runs a set of batch jobs described in YAML: uploads inputs, submits the jobs in dependency order (a job starts only after the jobs it depends on completed), " +
        "waits for them, downloads outputs, skips the jobs that depend on a failed one, and retries jobs that ask for it. Returns at once with a run id and the plan; " +
        "call get_batch_status with the run id to follow it. The file is checked first: an invalid one is refused with file:line:column messages and nothing is submitted. " +
        "Format: 'system: <name from list_systems>', 'defaults: {account, partition, workingDirectory, env, resources}', and 'jobs:' mapping each job name to " +
        "{script: <bash text> | scriptFile: <local file> | remoteScript: <path on the cluster>, resources: {nodes, tasks, cpusPerTask, time, memory, partition, gres}, " +
        "env: {NAME: value}, inputs: {<local path>: <remote path>}, outputs: {<remote path>: <local path>}, dependsOn: [other job names], retries: <count>}. " +
        "Relative remote paths are inside the working directory.")]
    public Task<CallToolResult> RunBatch(
        [Description("Path of a run file (YAML) on the machine this tool runs on. Give this or 'yaml', not both. A state file '<path>.state.json' is kept next to it.")] string? path = null,
        [Description("The run file's YAML text itself, when there is no file. Give this or 'path'.")] string? yaml = null,
        [Description("true to continue an earlier run of the same file: jobs that completed are not submitted again and jobs still queued or running are followed, not resubmitted. Needs 'path'.")] bool resume = false)
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
        // Inputs and outputs of any size: the client-side mover (direct ops for small files, S3 staging for large ones).
        var mover = new TransferClientBatchFileMover(ops, new FileTransferClient(ops, PresignedHttp), new FileTransferOptions { Account = definition.Defaults.Account });
        var runner = new BatchRunner(ops, new BatchRunnerOptions { Resume = resume, FileMover = mover });
        var plan = runner.Plan(definition);
        var run = new BackgroundRun(runner);
        run.Start(definition);
        var id = run.WaitForRunId();
        Runs[id] = run;
        var started = new BatchStarted(id, plan, plan.StateFile);
        return Task.FromResult(ToolResults.Of(started, $"Batch run {id} started: {plan.Steps.Count} jobs. Call get_batch_status with run_id \"{id}\" to follow it.\n{plan}"));
    }

    /// <summary>The report of a batch run so far.</summary>
    [McpServerTool(Name = "get_batch_status", Title = "Batch status", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(BatchStatus))]
    [Description("Reports a batch run started by run_batch: for each job its status (waiting, uploading, pending, running, downloading, completed, failed, skipped), " +
        "scheduler job id, exit code, elapsed time, downloaded outputs, attempts and error. Call it again until 'finished' is true (wait a little between calls).")]
    public CallToolResult GetBatchStatus(
        [Description("The run id returned by run_batch.")] string run_id)
    {
        if (!Runs.TryGetValue(run_id, out var run))
            throw new McpException($"No batch run '{run_id}' in this server (runs are kept in memory until it restarts). Start one with run_batch; to continue an earlier run of a file use run_batch with resume=true.");
        var report = run.Runner.Snapshot();
        var finished = run.Task?.IsCompleted == true;
        var error = run.Task?.Exception?.GetBaseException().Message;
        var status = new BatchStatus(run_id, finished, finished && error is null && report?.Succeeded == true, error, report);
        var summary = (finished ? (status.Succeeded ? "Finished: every job completed." : "Finished with failures.") : "Still running.")
            + (error is null ? "" : $" Stopped on an error: {error}") + "\n" + (report?.ToTable() ?? "");
        return ToolResults.Of(status, summary);
    }

    /// <summary>A run going on in the background, outliving the tool call that started it.</summary>
    private sealed class BackgroundRun(BatchRunner runner)
    {
        public BatchRunner Runner { get; } = runner;

        public Task? Task { get; private set; }

        // RunAsync runs synchronously up to its first call to the cluster, so the report (and its run id) exists on return.
        public void Start(BatchDefinition definition) => Task = Runner.RunAsync(definition, null, CancellationToken.None);

        /// <summary>The run id (the state file's id when resuming).</summary>
        public string WaitForRunId()
        {
            if (Runner.Snapshot() is { } report) return report.RunId;
            throw new McpException("The batch run could not start: " + (Task?.Exception?.GetBaseException().Message ?? "unknown error"));
        }
    }
}
