using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Batch;

/// <summary>Where a job of a batch run is.</summary>
/// <remarks>Backed by <c>long</c> so that PowerShell's <c>ConvertTo-Json</c> writes it by name, as it does for no narrower enum.</remarks>
[JsonConverter(typeof(SnakeCaseEnumConverter<BatchJobStatus>))]
public enum BatchJobStatus : long
{
    /// <summary>Not submitted yet (waiting for its dependencies or its turn).</summary>
    Waiting,

    /// <summary>Inputs are being uploaded.</summary>
    Uploading,

    /// <summary>Submitted; queued or held by the scheduler.</summary>
    Pending,

    Running,

    /// <summary>Outputs are being downloaded.</summary>
    Downloading,

    /// <summary>Finished with exit code 0 and outputs downloaded.</summary>
    Completed,

    /// <summary>Failed (non-zero exit, cancelled, timed out, or its inputs or outputs could not be moved) after all retries.</summary>
    Failed,

    /// <summary>Not run because a job it depends on failed.</summary>
    Skipped,
}

/// <summary>A change of one job of a batch run, for progress bars and logs.</summary>
/// <param name="Job">Job name.</param>
/// <param name="Status">New status.</param>
/// <param name="JobId">Scheduler job id, once submitted.</param>
/// <param name="Attempt">1 for the first submission, 2 for the first retry, …</param>
/// <param name="Message">Human-readable line, e.g. <c>B: submitted as 42 (afterok:41)</c>.</param>
/// <param name="Finished">Jobs finished so far (completed, failed or skipped).</param>
/// <param name="Total">Jobs in the run.</param>
public sealed record BatchProgress(string Job, BatchJobStatus Status, string? JobId, int Attempt, string Message, int Finished, int Total);
