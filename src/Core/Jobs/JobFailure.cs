using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>Why a job ended as it did: what the scheduler says and the end of what it wrote to standard error.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Normalised state.</param>
/// <param name="RawState">The scheduler's state string.</param>
/// <param name="Reason">The scheduler's reason, when it gives one (Slurm's <c>None</c> is left out).</param>
/// <param name="ExitCode">Exit code; null unless the job ended.</param>
/// <param name="StandardErrorPath">The stderr file, when known.</param>
/// <param name="StandardErrorTail">Its last lines (trimmed); null when there is no such file or it is empty or unreadable.</param>
public sealed record JobFailure(string JobId, JobState State, string RawState, string? Reason, int? ExitCode,
    string? StandardErrorPath, string? StandardErrorTail)
{
    /// <summary>Lines of stderr read by default.</summary>
    public const int DefaultLines = 20;

    /// <summary>
    /// Explains <paramref name="job"/>: the stderr path is <paramref name="standardErrorPath"/> when given (a transfer
    /// job's error log), otherwise the one the job metadata resolves (stdout when stderr is not separate). A missing
    /// file or metadata leaves the tail empty; cancellation still throws.
    /// </summary>
    public static async Task<JobFailure> ExplainAsync(IHpcOperations operations, string system, Job job, string? standardErrorPath = null,
        int lines = DefaultLines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(job);
        var path = string.IsNullOrEmpty(standardErrorPath) ? await StandardErrorOfAsync(operations, system, job.JobId, cancellationToken).ConfigureAwait(false) : standardErrorPath;
        string? tail = null;
        if (!string.IsNullOrEmpty(path))
        {
            try
            {
                var content = await operations.Files.TailAsync(system, RemotePath.Parse(path, "standardError"), lines: lines, cancellationToken: cancellationToken).ConfigureAwait(false);
                tail = string.IsNullOrWhiteSpace(content.Content) ? null : content.Content.Trim();
            }
            catch (HpcException)
            {
                // the file was never written or is gone: the scheduler's word is all there is
            }
        }
        var reason = job.Status.StateReason is { Length: > 0 } r && r != "None" ? r : null;
        return new JobFailure(job.JobId, job.State, job.Status.State, reason, job.EndedExitCode, path, tail);
    }

    /// <summary>One line: "job 12 ended failed (FAILED), reason NonZeroExitCode, exit code 1: &lt;stderr tail&gt;".</summary>
    public string Describe()
    {
        var text = $"job {JobId} ended {State.ToString().ToLowerInvariant()}";
        if (!string.Equals(RawState, State.ToString(), StringComparison.OrdinalIgnoreCase) && RawState.Length > 0) text += $" ({RawState})";
        if (Reason is not null) text += $", reason {Reason}";
        if (ExitCode is { } code) text += $", exit code {code}";
        return StandardErrorTail is null ? text : $"{text}: {StandardErrorTail}";
    }

    private static async Task<string?> StandardErrorOfAsync(IHpcOperations operations, string system, string jobId, CancellationToken cancellationToken)
    {
        try
        {
            var meta = (await operations.Compute.GetJobMetadataAsync(system, Models.JobId.Parse(jobId, "jobId"), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            return meta is null ? null : string.IsNullOrEmpty(meta.StandardError) ? meta.StandardOutput : meta.StandardError;
        }
        catch (HpcException)
        {
            return null; // metadata of old jobs expires
        }
    }
}
