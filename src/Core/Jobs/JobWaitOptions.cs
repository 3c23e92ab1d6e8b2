using Firecrest.Core.Models;

namespace Firecrest.Core.Jobs;

/// <summary>How <see cref="JobWaiter"/> waits.</summary>
public sealed class JobWaitOptions
{
    /// <summary>The default poll schedule: 0.5 s, growing by half each poll, at most 5 s between two polls.</summary>
    public static readonly Backoff DefaultPoll = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), 1.5);

    /// <summary>Delays between two polls of the scheduler (the schedule restarts when the job's state changes).</summary>
    public Backoff Poll { get; init; } = DefaultPoll;

    /// <summary>Longest wait; null waits until the job ends or the caller cancels. The job is never cancelled when it is reached.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long after the start of the wait "not found" means "not listed yet" (see <see cref="JobListing"/>).</summary>
    public TimeSpan NotListedGrace { get; init; } = JobListing.DefaultGrace;

    /// <summary>When the wait ends; default: the job is in a final state (<see cref="JobStates.IsFinal"/>).</summary>
    public Func<Job, bool>? Until { get; init; }

    /// <summary>Told after every poll (also while the job is not listed yet).</summary>
    public IProgress<JobWaitProgress>? Progress { get; init; }
}

/// <summary>One poll of a wait.</summary>
/// <param name="JobId">The job waited for.</param>
/// <param name="Job">The job as listed; null while the scheduler does not list it yet.</param>
/// <param name="StateChanged">True when the raw state differs from the previous poll (and at the first sighting).</param>
/// <param name="Elapsed">Time since the wait started.</param>
/// <param name="Poll">Number of the poll, from 1.</param>
public sealed record JobWaitProgress(string JobId, Job? Job, bool StateChanged, TimeSpan Elapsed, int Poll)
{
    /// <summary>The raw state at this poll, or <c>SUBMITTED</c> while the job is not listed yet.</summary>
    public string State { get; } = Job?.Status.State is { Length: > 0 } s ? s : "SUBMITTED";
}

/// <summary>The end of a wait.</summary>
/// <param name="JobId">The job waited for.</param>
/// <param name="Job">The job at the last poll; null only when the timeout came before the scheduler listed it.</param>
/// <param name="TimedOut">True when <see cref="JobWaitOptions.Timeout"/> ended the wait (the job keeps running).</param>
/// <param name="Elapsed">Time waited.</param>
public sealed record JobWaitResult(string JobId, Job? Job, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>The error a face reports for a timed-out wait (after showing <see cref="Job"/>, the last known state).</summary>
    public HpcException TimeoutError(string system) => new(HpcErrorKind.Timeout,
        $"Job {JobId} on {system} did not end within {Elapsed.TotalSeconds:0} s" +
        (Job is null ? " (the scheduler does not list it yet)" : $"; it is still {Job.Status.State}") + " and keeps running.");
}
