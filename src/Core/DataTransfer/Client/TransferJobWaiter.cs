using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>
/// Waits for a transfer job to end, polling every tenth of the time waited so far (between the options' shortest and
/// largest poll delay); a job that did not complete is an error that quotes its error log.
/// </summary>
internal sealed class TransferJobWaiter(IHpcOperations operations, FileTransferOptions options, TimeProvider time)
{
    public async Task WaitCompletedAsync(string system, TransferJob job, string what, CancellationToken cancellationToken)
    {
        var state = await WaitFinalAsync(system, job.JobId, cancellationToken).ConfigureAwait(false);
        if (state == JobState.Completed) return;
        var log = await ReadErrorLogAsync(system, job.Logs.ErrorLog, cancellationToken).ConfigureAwait(false);
        throw new HpcException(HpcErrorKind.Internal,
            $"{what}: transfer job {job.JobId} ended {state.ToString().ToUpperInvariant()}" + (log is null ? "." : $": {log}"))
        { CausedBy = log is null ? null : [log] };
    }

    /// <summary>The job's state once it is final (or the job is gone after having been seen).</summary>
    public async Task<JobState> WaitFinalAsync(string system, string jobId, CancellationToken cancellationToken)
    {
        var id = JobId.Parse(jobId, "jobId");
        var start = time.GetTimestamp();
        var seen = false;
        while (true)
        {
            try
            {
                var jobs = await operations.Compute.GetJobAsync(system, id, cancellationToken).ConfigureAwait(false);
                seen = true;
                var job = jobs.FirstOrDefault();
                if (job is not null && JobStates.IsFinal(job.State)) return job.State;
            }
            catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound && !seen && time.GetElapsedTime(start) < options.JobNotFoundGrace)
            {
                // freshly submitted jobs may not be listed yet
            }
            if (time.GetElapsedTime(start) > options.JobTimeout)
                throw new HpcException(HpcErrorKind.Timeout, $"Transfer job {jobId} did not finish within {options.JobTimeout}; it was left running.");
            var interval = TimeSpan.FromTicks(Math.Clamp(time.GetElapsedTime(start).Ticks / 10, options.JobPollInterval.Ticks,
                Math.Max(options.JobPollInterval.Ticks, options.JobPollMaxInterval.Ticks)));
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> ReadErrorLogAsync(string system, string path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            var tail = await operations.Files.TailAsync(system, path, lines: 10, cancellationToken: cancellationToken).ConfigureAwait(false);
            var text = tail.Content?.Trim();
            return string.IsNullOrEmpty(text) ? null : text;
        }
        catch (HpcException)
        {
            return null;
        }
    }
}
