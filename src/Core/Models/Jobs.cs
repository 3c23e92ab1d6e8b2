using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Models;

/// <summary>A job as the scheduler reports it (wire model <c>Job</c>).</summary>
public sealed class Job
{
    /// <summary>Job id (string: PBS ids and array ids are not numbers).</summary>
    public string JobId { get; set; } = "";

    /// <summary>Job name.</summary>
    public string? Name { get; set; }

    /// <summary>State, exit code and signal.</summary>
    public JobStatus Status { get; set; } = new();

    /// <summary>Steps or array elements; null when there are none.</summary>
    public List<JobTask>? Tasks { get; set; }

    /// <summary>Times in seconds / epoch seconds.</summary>
    public JobTime Time { get; set; } = new();

    /// <summary>Account charged.</summary>
    public string? Account { get; set; }

    /// <summary>Number of allocated nodes.</summary>
    public int? AllocationNodes { get; set; }

    /// <summary>Cluster name as the scheduler knows it.</summary>
    public string? Cluster { get; set; }

    /// <summary>Unix group.</summary>
    public string? Group { get; set; }

    /// <summary>Node list.</summary>
    public string? Nodes { get; set; }

    /// <summary>Partition (queue).</summary>
    public string? Partition { get; set; }

    /// <summary>User who cancelled the job, when known.</summary>
    public string? KillRequestUser { get; set; }

    /// <summary>Owner.</summary>
    public string? User { get; set; }

    /// <summary>Working directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Scheduling priority.</summary>
    public long? Priority { get; set; }

    /// <summary>Normalised state (not on the wire).</summary>
    [JsonIgnore]
    public JobState State => JobStates.Normalize(Status.State, Status.ExitCode);

    /// <summary>
    /// The exit code the job's script ended with, or null when there is none to trust: the job has not ended, or it
    /// was cancelled or timed out with the scheduler's placeholder 0 (it never returned a code of its own). Not on the wire.
    /// </summary>
    [JsonIgnore]
    public int? EndedExitCode => JobStates.EndedExitCode(State, Status.ExitCode);
}

/// <summary>State of a job or task (wire model <c>JobStatus</c>).</summary>
public sealed class JobStatus
{
    /// <summary>Scheduler's raw state string (<c>COMPLETED</c>, <c>CANCELLED by 1000</c>, PBS <c>F</c>, …).</summary>
    public string State { get; set; } = "";

    /// <summary>Reason the job is pending or ended.</summary>
    public string? StateReason { get; set; }

    /// <summary>Exit code.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Signal that ended the job.</summary>
    public int? InterruptSignal { get; set; }
}

/// <summary>A job step or array element (wire model <c>JobTask</c>).</summary>
public sealed class JobTask
{
    /// <summary>Task id, e.g. <c>42.batch</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Task name.</summary>
    public string? Name { get; set; }

    /// <summary>Task state.</summary>
    public JobStatus Status { get; set; } = new();

    /// <summary>Task times.</summary>
    public JobTime Time { get; set; } = new();
}

/// <summary>Job times (wire model <c>JobTime</c>): durations in seconds, instants in epoch seconds.</summary>
public sealed class JobTime
{
    /// <summary>Elapsed seconds.</summary>
    public long? Elapsed { get; set; }

    /// <summary>Start (epoch seconds).</summary>
    public long? Start { get; set; }

    /// <summary>End (epoch seconds).</summary>
    public long? End { get; set; }

    /// <summary>Suspended seconds.</summary>
    public long? Suspended { get; set; }

    /// <summary>Time limit in seconds.</summary>
    public long? Limit { get; set; }
}

/// <summary>Script and standard stream paths of a job (wire model <c>JobMetadata</c>).</summary>
public sealed class JobMetadata
{
    /// <summary>Job id.</summary>
    public string JobId { get; set; } = "";

    /// <summary>Batch script text.</summary>
    public string? Script { get; set; }

    /// <summary>Resolved stdin path.</summary>
    public string? StandardInput { get; set; }

    /// <summary>Resolved stdout path.</summary>
    public string? StandardOutput { get; set; }

    /// <summary>Resolved stderr path.</summary>
    public string? StandardError { get; set; }
}

/// <summary>A job to submit (wire model <c>JobDescription</c>).</summary>
public sealed class JobDescription
{
    /// <summary>Job name.</summary>
    public string? Name { get; set; }

    /// <summary>Account to charge.</summary>
    public string? Account { get; set; }

    /// <summary>Reservation.</summary>
    public string? Reservation { get; set; }

    /// <summary>Partition (queue).</summary>
    public string? Partition { get; set; }

    /// <summary>Node features.</summary>
    public string? Constraints { get; set; }

    /// <summary>Working directory (required).</summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Stdin path.</summary>
    public string? StandardInput { get; set; }

    /// <summary>Stdout path.</summary>
    public string? StandardOutput { get; set; }

    /// <summary>Stderr path.</summary>
    public string? StandardError { get; set; }

    /// <summary>Environment variables (replace the default <c>F7T_version</c>).</summary>
    public Dictionary<string, string>? Env { get; set; }

    /// <summary>Inline script text.</summary>
    public string? Script { get; set; }

    /// <summary>Path of a script on the cluster.</summary>
    public string? ScriptPath { get; set; }

    /// <summary>Extension: extra scheduler dependency, e.g. <c>afterok:12:13</c> (used by batch runs).</summary>
    public string? Dependency { get; set; }
}

/// <summary>Filters of a job list.</summary>
/// <param name="AllUsers">Jobs of every user.</param>
/// <param name="Account">Only this account; empty means no filter (clients send <c>account=</c>).</param>
/// <param name="Name">Only this job name; empty means no filter.</param>
/// <param name="TimeWindow">Look-back: 1h, 8h, 24h (default), 3d or 7d.</param>
public sealed record JobQuery(bool AllUsers = false, string? Account = null, string? Name = null, string? TimeWindow = null)
{
    /// <summary>Only this account, or null for every account.</summary>
    public string? Account { get; init; } = string.IsNullOrEmpty(Account) ? null : Account;

    /// <summary>Only this job name, or null for every name.</summary>
    public string? Name { get; init; } = string.IsNullOrEmpty(Name) ? null : Name;
}

/// <summary>Normalised job state used by waits and batch runs.</summary>
/// <remarks>Backed by <c>long</c> so that PowerShell's <c>ConvertTo-Json</c> writes it by name, as it does for no narrower enum.</remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<JobState>))]
public enum JobState : long
{
    /// <summary>Unknown or unrecognised.</summary>
    Unknown,

    /// <summary>Queued.</summary>
    Pending,

    /// <summary>Running (or completing).</summary>
    Running,

    /// <summary>Held or suspended.</summary>
    Held,

    /// <summary>Finished with exit code 0.</summary>
    Completed,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Cancelled.</summary>
    Cancelled,

    /// <summary>Hit its time limit.</summary>
    Timeout,
}

/// <summary>Maps raw Slurm and PBS state strings to <see cref="JobState"/>.</summary>
public static class JobStates
{
    /// <summary>True for states after which the job never changes again.</summary>
    public static bool IsFinal(JobState s) => s is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Timeout;

    /// <summary>
    /// The exit code of a job or task in <paramref name="state"/>, or null when there is none to trust: it has not
    /// ended, or it was cancelled or timed out with the scheduler's placeholder 0.
    /// </summary>
    public static int? EndedExitCode(JobState state, int? exitCode) =>
        IsFinal(state) && (state is JobState.Completed or JobState.Failed || exitCode is not (null or 0)) ? exitCode : null;

    /// <summary>Normalises a raw state (Slurm names, <c>CANCELLED by N</c>, PBS letters); PBS <c>F</c> needs the exit code.</summary>
    public static JobState Normalize(string? raw, int? exitCode = null)
    {
        if (string.IsNullOrWhiteSpace(raw)) return JobState.Unknown;
        var word = raw.Trim().Split(' ', 2)[0].TrimEnd('+').ToUpperInvariant();
        // PBS: F finished, X finished array sub-job; both need the exit code.
        if (word is "F" or "X") return exitCode is null or 0 ? JobState.Completed : JobState.Failed;
        return word switch
        {
            "PENDING" or "PD" or "CONFIGURING" or "CF" or "REQUEUED" or "REQUEUE_FED" or "REQUEUE_HOLD" or "RESV_DEL_HOLD" or "Q" or "W" or "T" => JobState.Pending,
            "RUNNING" or "R" or "COMPLETING" or "CG" or "STAGE_OUT" or "SIGNALING" or "RESIZING" or "E" or "B" => JobState.Running,
            "SUSPENDED" or "S" or "STOPPED" or "ST" or "H" or "U" => JobState.Held,
            "COMPLETED" or "CD" => JobState.Completed,
            "FAILED" or "NODE_FAIL" or "NF" or "OUT_OF_MEMORY" or "OOM" or "BOOT_FAIL" or "BF" or "DEADLINE" or "DL" or "PREEMPTED" or "PR" or "SPECIAL_EXIT" or "SE" or "REVOKED" or "RV" => JobState.Failed,
            "CANCELLED" or "CA" => JobState.Cancelled,
            "TIMEOUT" or "TO" => JobState.Timeout,
            _ => JobState.Unknown,
        };
    }
}
