namespace Firecrest.Core.Batch;

/// <summary>
/// Where background batch runs are kept between the call that starts one and the calls that follow it. Every run
/// belongs to the user who started it: asking for another user's run answers exactly as for an unknown id, so run
/// ids reveal nothing. An implementation bounds how many runs it holds and forgets finished runs after a while; a
/// shared implementation (e.g. Redis) lets every replica of the server answer for a run.
/// </summary>
public interface IBatchRunStore
{
    /// <summary>
    /// Keeps <paramref name="run"/>. Throws <see cref="HpcErrorKind.RateLimited"/> when the owner or the store already
    /// holds as many unfinished runs as allowed (finished runs are evicted first to make room).
    /// </summary>
    Task AddAsync(BatchRun run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Throws <see cref="HpcErrorKind.RateLimited"/> when a new unfinished run of <paramref name="owner"/> would not be
    /// accepted now; call it before starting a run, so nothing is submitted for a run that cannot be kept.
    /// </summary>
    Task EnsureRoomAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>The status of run <paramref name="runId"/> of <paramref name="owner"/>; null when unknown, evicted or another user's.</summary>
    Task<BatchRunStatus?> GetAsync(string owner, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels run <paramref name="runId"/> of <paramref name="owner"/> (see <see cref="BatchRun.CancelAsync"/>), wherever
    /// it runs; false when unknown, evicted or another user's. A finished run stays as it ended. The cancellation may
    /// complete after this returns: follow it with <see cref="GetAsync"/>.
    /// </summary>
    Task<bool> CancelAsync(string owner, string runId, CancellationToken cancellationToken = default);
}

/// <summary>The state of a batch run at one moment.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Finished">True when the run has ended (every job completed, failed or skipped, or the run stopped on an error).</param>
/// <param name="Succeeded">True when every job completed.</param>
/// <param name="Error">Why the run stopped early, if it did.</param>
/// <param name="Report">Per job: name, job id, status, scheduler state, exit code, elapsed seconds, outputs, attempts, error.</param>
public sealed record BatchRunStatus(string RunId, bool Finished, bool Succeeded, string? Error, BatchReport? Report);
