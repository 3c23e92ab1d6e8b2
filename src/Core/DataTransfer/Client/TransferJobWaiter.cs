using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>
/// Waits for a transfer job to end with <see cref="JobWaiter"/> on the options' poll schedule; a job that did not
/// complete is an error that quotes its error log.
/// </summary>
internal sealed class TransferJobWaiter(IHpcOperations operations, FileTransferOptions options, TimeProvider time)
{
    public async Task WaitCompletedAsync(string system, TransferJob job, string what, CancellationToken cancellationToken)
    {
        var ended = await WaitFinalAsync(system, job.JobId, cancellationToken).ConfigureAwait(false);
        if (ended.State == JobState.Completed) return;
        var failure = await JobFailure.ExplainAsync(operations, system, ended, job.Logs.ErrorLog, lines: 10, cancellationToken).ConfigureAwait(false);
        var log = failure.StandardErrorTail;
        throw new HpcException(HpcErrorKind.Internal,
            $"{what}: transfer job {job.JobId} ended {ended.State.ToString().ToUpperInvariant()}" + (log is null ? "." : $": {log}"))
        { CausedBy = log is null ? null : [log] };
    }

    /// <summary>The job once it is final; a <see cref="HpcErrorKind.Timeout"/> error after the options' job timeout.</summary>
    public async Task<Job> WaitFinalAsync(string system, string jobId, CancellationToken cancellationToken)
    {
        var result = await new JobWaiter(operations, time).WaitAsync(system, jobId, new JobWaitOptions
        {
            Poll = new Backoff(options.JobPollInterval, options.JobPollMaxInterval, factor: 1.5),
            Timeout = options.JobTimeout,
            NotListedGrace = options.JobNotFoundGrace,
        }, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
            throw new HpcException(HpcErrorKind.Timeout, $"Transfer job {jobId} did not finish within {options.JobTimeout}; it was left running.");
        return result.Job!;
    }
}
