using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>
/// Waits for a job through <see cref="IHpcOperations"/> (the in-process engine or the HTTP client alike): polls on the
/// <see cref="JobWaitOptions.Poll"/> schedule of the given clock, applies the "not listed yet" grace rule, reports
/// every poll, and returns when the job ends or the timeout is reached. Cancelling throws
/// <see cref="OperationCanceledException"/>; the job itself is never touched.
/// </summary>
public sealed class JobWaiter(IHpcOperations operations, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Polls until <see cref="JobWaitOptions.Until"/> holds (default: the job ended) or the timeout is reached.
    /// Throws <see cref="HpcErrorKind.NotFound"/> when the job is still unknown after the grace window, and lets the
    /// scheduler's other errors through.
    /// </summary>
    public async Task<JobWaitResult> WaitAsync(string system, string jobId, JobWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new JobWaitOptions();
        var until = options.Until ?? (j => JobStates.IsFinal(j.State));
        var start = _time.GetTimestamp();
        Job? last = null;
        string? lastState = null; // kept apart: an implementation may hand back the same (updated) object each poll
        var attempt = 0;
        for (var poll = 1; ; poll++)
        {
            var job = await PollAsync(system, jobId, _time.GetElapsedTime(start), options.NotListedGrace, cancellationToken).ConfigureAwait(false);
            var changed = job is not null && job.Status.State != lastState;
            if (job is not null) (last, lastState) = (job, job.Status.State);
            var elapsed = _time.GetElapsedTime(start);
            options.Progress?.Report(new JobWaitProgress(jobId, job, changed, elapsed, poll));
            if (job is not null && until(job)) return new JobWaitResult(jobId, job, false, elapsed);
            if (options.Timeout is { } timeout && elapsed >= timeout) return new JobWaitResult(jobId, last, true, elapsed);
            if (changed) attempt = 0;
            var delay = options.Poll.Delay(attempt++);
            if (options.Timeout is { } limit && limit - elapsed < delay) delay = limit - elapsed;
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Job?> PollAsync(string system, string jobId, TimeSpan sinceStart, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            var jobs = await operations.Compute.GetJobAsync(system, JobId.Parse(jobId, "jobId"), cancellationToken).ConfigureAwait(false);
            // Slurm may list a requeued job twice: the last entry is the current one.
            var job = jobs.LastOrDefault(j => j.JobId == jobId) ?? jobs.LastOrDefault();
            if (job is not null || JobListing.IsWithinGrace(sinceStart, grace)) return job;
            throw new HpcException(HpcErrorKind.NotFound, $"Job {jobId} not found on {system}.");
        }
        catch (HpcException e) when (JobListing.NotListedYet(e, sinceStart, grace))
        {
            return null;
        }
    }
}
