using System.ComponentModel;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>Job arrays: one script run once per index, and the state of each index.</summary>
[McpServerToolType]
public sealed class JobArrayTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    /// <summary>Result of <c>submit_job_array</c>.</summary>
    /// <param name="System">System.</param>
    /// <param name="JobId">The array's job id; each task is '&lt;jobId&gt;_&lt;index&gt;'.</param>
    /// <param name="Array">The array spec submitted.</param>
    /// <param name="WorkingDirectory">Working directory.</param>
    public sealed record SubmittedArray(string System, string JobId, string Array, string WorkingDirectory);

    /// <summary>One task (index) of an array.</summary>
    /// <param name="TaskId">Task id, e.g. '12_3'.</param>
    /// <param name="State">Normalised state: pending, running, held, completed, failed, cancelled, timeout or unknown.</param>
    /// <param name="RawState">The scheduler's state.</param>
    /// <param name="ExitCode">Exit code; null unless the task ended with one.</param>
    /// <param name="ElapsedSeconds">Run time.</param>
    public sealed record ArrayTask(string TaskId, string State, string RawState, int? ExitCode, long? ElapsedSeconds);

    /// <summary>Result of <c>list_array_tasks</c>.</summary>
    /// <param name="JobId">The array's job id.</param>
    /// <param name="State">State of the array as a whole.</param>
    /// <param name="Tasks">Its tasks, in index order.</param>
    /// <param name="Counts">How many tasks are in each state.</param>
    public sealed record ArrayTasks(string JobId, string State, IReadOnlyList<ArrayTask> Tasks, IReadOnlyDictionary<string, int> Counts);

    [McpServerTool(Name = "submit_job_array", Title = "Submit a job array", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SubmittedArray))]
    [Description("Submits a job array: the same script runs once per index, each as its own task with the index in $SLURM_ARRAY_TASK_ID (PBS: $PBS_ARRAY_INDEX). " +
        "Use it for parameter sweeps instead of many submit_job calls. The output of each task goes to slurm-<jobid>_<index>.out in the working directory unless the script says otherwise. " +
        "Follow it with list_array_tasks. Each call submits a new array.")]
    public async Task<CallToolResult> SubmitJobArray(
        [Description("System name from list_systems.")] string system,
        [Description("The job script text, starting with '#!/bin/bash'.")] string script,
        [Description("Absolute directory on the cluster where the tasks run and write their output.")] string working_directory,
        [Description("Indexes to run: Slurm '0-15', '1,3,5-9:2', '1-100%10' (at most 10 at once); PBS '1-10' or '0-20:2'.")] string array,
        [Description("Optional short job name.")] string? name = null,
        [Description("Optional account (project) to charge.")] string? account = null,
        [Description("Optional partition (queue) from list_partitions.")] string? partition = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        guard.Path(working_directory, "working_directory");
        var ops = operations.Get();
        var found = (await ops.Status.GetSystemsAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Name, system, StringComparison.OrdinalIgnoreCase));
        var text = JobArrays.WithArrayDirective(script ?? "", array, found?.Scheduler?.Type ?? "slurm");
        await SubmitPreflight.CheckAsync(ops, system, working_directory, Empty(partition), Empty(account), JobsTools.McpFieldNames, cancellationToken);
        var job = new JobDescription
        {
            Name = string.IsNullOrWhiteSpace(name) ? "mcp-array" : name, Account = Empty(account), Partition = Empty(partition),
            WorkingDirectory = working_directory, Script = text,
        };
        var id = await ops.Compute.SubmitJobAsync(system, job, cancellationToken: cancellationToken);
        return ToolResults.Of(new SubmittedArray(system, id, array, working_directory),
            $"Submitted job array {id} ({array}) on {system}. Next: list_array_tasks with job_id \"{id}\"; a task's output: get_job_output with job_id \"{id}_<index>\".");
    }

    [McpServerTool(Name = "list_array_tasks", Title = "List the tasks of a job array", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ArrayTasks))]
    [Description("Lists the tasks of a job array with the state and exit code of each, and how many are in each state. " +
        "Before any task starts Slurm lists none (an empty list); tasks not yet started may show as one pending entry for the remaining range (e.g. '12_[4-10]').")]
    public async Task<CallToolResult> ListArrayTasks(
        [Description("System name from list_systems.")] string system,
        [Description("The array's job id from submit_job_array, e.g. \"12345\".")] string job_id,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        var jobs = await operations.Get().Compute.GetJobAsync(system, ToolGuard.JobId(job_id), cancellationToken);
        var job = jobs.LastOrDefault(j => j.JobId == job_id) ?? jobs.Last();
        // Tasks are the array's elements; a range not started yet is listed as its own row ('12_[3-10]').
        var elements = jobs.SelectMany(j => j.Tasks ?? []).Select(t => (t.Id, t.Status, t.Time.Elapsed))
            .Concat(jobs.Where(j => j.JobId.StartsWith(job_id + "_", StringComparison.Ordinal)).Select(j => (Id: j.JobId, j.Status, j.Time.Elapsed)))
            .Where(t => t.Id.Contains('_')).DistinctBy(t => t.Id);
        var tasks = elements
            .Select(t =>
            {
                var state = JobStates.Normalize(t.Status.State, t.Status.ExitCode);
                return new ArrayTask(t.Id, state.ToString().ToLowerInvariant(), t.Status.State, JobStates.EndedExitCode(state, t.Status.ExitCode), t.Elapsed);
            })
            .OrderBy(t => Index(t.TaskId)).ToList();
        // Slurm lists a pending array as one row without its range: no task is known before one starts.
        if (tasks.Count == 0)
            return ToolResults.Of(new ArrayTasks(job.JobId, job.State.ToString().ToLowerInvariant(), [], new Dictionary<string, int>()),
                $"Job {job.JobId} is {job.State.ToString().ToLowerInvariant()} and lists no tasks yet (none has started, or it is not an array). Call list_array_tasks again later.");
        var counts = tasks.GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count());
        var result = new ArrayTasks(job.JobId, job.State.ToString().ToLowerInvariant(), tasks, counts);
        return ToolResults.Of(result, $"Array {job.JobId}: {tasks.Count} task(s): " + string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}")) + ".");
    }

    private static long Index(string taskId) =>
        long.TryParse(taskId[(taskId.IndexOf('_') + 1)..], out var n) ? n : long.MaxValue;

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
