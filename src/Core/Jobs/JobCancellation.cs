using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>What an idempotent cancel found.</summary>
/// <param name="JobId">The job.</param>
/// <param name="CancelRequested">True when the scheduler took a cancel request now; false when the job had already ended.</param>
/// <param name="Job">The job as listed after the request (its final state when it had ended); null when the scheduler does not list it yet.</param>
public sealed record JobCancelOutcome(string JobId, bool CancelRequested, Job? Job);

/// <summary>
/// Cancel that can be repeated: cancelling a job that has already ended (completed, failed, cancelled, timed out) is
/// not an error but answers with the job's final state. Works through <see cref="IHpcOperations"/> (engine or HTTP
/// client), so the REST DELETE itself keeps its own answers.
/// </summary>
public static class JobCancellation
{
    /// <summary>
    /// Asks the scheduler to cancel <paramref name="jobId"/>. When it refuses and the job is listed as ended, returns
    /// that state; any other refusal (unknown job, another user's job, a scheduler fault) is thrown as it came.
    /// </summary>
    public static async Task<JobCancelOutcome> CancelAsync(IHpcOperations operations, string system, JobId jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        try
        {
            await operations.Compute.CancelJobAsync(system, jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (HpcException refused) when (refused.Kind is not (HpcErrorKind.Unauthenticated or HpcErrorKind.Unavailable or HpcErrorKind.ConnectionFailed or HpcErrorKind.Timeout))
        {
            var ended = await ListedAsync(operations, system, jobId, cancellationToken).ConfigureAwait(false);
            if (ended is not null && JobStates.IsFinal(ended.State)) return new JobCancelOutcome(jobId.Value, false, ended);
            throw;
        }
        return new JobCancelOutcome(jobId.Value, true, await ListedAsync(operations, system, jobId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Job?> ListedAsync(IHpcOperations operations, string system, JobId jobId, CancellationToken cancellationToken)
    {
        try
        {
            var jobs = await operations.Compute.GetJobAsync(system, jobId, cancellationToken).ConfigureAwait(false);
            return jobs.LastOrDefault(j => j.JobId == jobId.Value) ?? jobs.LastOrDefault();
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
        {
            return null;
        }
    }
}
