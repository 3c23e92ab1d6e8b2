using Firecrest.Core.Models;

namespace Firecrest.Core.Idempotency;

/// <summary>
/// Submit-once by idempotency key, for every face of the engine: the same key with the same request returns the
/// first job id and never submits twice (also when the calls race); the same key with another request is refused
/// with <see cref="HpcErrorKind.IdempotencyMismatch"/>; a submit that fails leaves the key free for a retry.
/// </summary>
public sealed class IdempotentSubmitter(IIdempotencyStore store)
{
    /// <summary>The store the keys live in.</summary>
    public IIdempotencyStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>
    /// Runs <paramref name="submit"/> unless <paramref name="key"/> already holds a job for the same request. Once the
    /// key is claimed, the submit runs to its end even if <paramref name="cancellationToken"/> fires: a job that was
    /// created must be recorded, or a retry of the caller would submit it again.
    /// </summary>
    /// <exception cref="HpcException">InvalidArgument for an empty or too long key; IdempotencyMismatch when the key was used for another request.</exception>
    public async Task<string> SubmitAsync(IdempotencyKey key, JobDescription job, Func<CancellationToken, Task<string>> submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submit);
        if (string.IsNullOrEmpty(key.Key) || key.Key.Length > IdempotencyKey.MaxLength)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Invalid Idempotency-Key: give 1 to {IdempotencyKey.MaxLength} characters.");
        var claim = await Store.ClaimAsync(key, SubmitFingerprint.Of(job), cancellationToken).ConfigureAwait(false);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Completed:
                return claim.JobId!;
            case IdempotencyOutcome.Mismatch:
                throw new HpcException(HpcErrorKind.IdempotencyMismatch,
                    $"Idempotency-Key '{key.Key}' was already used on {key.System} for a different job request (script, directory or options differ). " +
                    "Use a new key for a new job; repeat a request unchanged to get its first job id.");
        }
        string jobId;
        try
        {
            jobId = await submit(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await Store.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await Store.CompleteAsync(key, jobId, CancellationToken.None).ConfigureAwait(false);
        return jobId;
    }
}
