using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Idempotency;

/// <summary>One idempotency key as the store keeps it: scoped by user and system, so two users never share a key.</summary>
/// <param name="User">The user who submits.</param>
/// <param name="System">The system the job is submitted to, spelled as the configuration names it.</param>
/// <param name="Key">The client's key (the <c>Idempotency-Key</c> header), at most <see cref="MaxLength"/> characters.</param>
public readonly record struct IdempotencyKey(string User, string System, string Key)
{
    public const int MaxLength = 255;
}

/// <summary>What <see cref="IIdempotencyStore.ClaimAsync"/> found under a key.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<IdempotencyOutcome>))]
public enum IdempotencyOutcome
{
    /// <summary>The key was free (or expired): the caller submits and then calls Complete or Release.</summary>
    Claimed,

    /// <summary>A submit with the same fingerprint already finished; <see cref="IdempotencyClaim.JobId"/> is its job.</summary>
    Completed,

    /// <summary>The key is held by a request with another fingerprint.</summary>
    Mismatch,
}

/// <summary>The answer of <see cref="IIdempotencyStore.ClaimAsync"/>.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="JobId">The first job's id when <see cref="IdempotencyOutcome.Completed"/>.</param>
public readonly record struct IdempotencyClaim(IdempotencyOutcome Outcome, string? JobId = null);

/// <summary>
/// Where idempotent submits are remembered (24 hours from the claim). The engine claims a key before it submits,
/// completes it with the job id, or releases it when the submit failed so that a retry can submit. Implementations
/// must make <see cref="ClaimAsync"/> atomic across every caller that shares the store (one process in memory;
/// several servers for a shared store).
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request with <paramref name="fingerprint"/>. When another caller holds the
    /// key with the same fingerprint and has not finished, waits until it completes (then answers
    /// <see cref="IdempotencyOutcome.Completed"/>) or releases the key (then claims it).
    /// </summary>
    Task<IdempotencyClaim> ClaimAsync(IdempotencyKey key, string fingerprint, CancellationToken cancellationToken);

    /// <summary>Records the job id of a claimed key; later claims with the same fingerprint get it.</summary>
    Task CompleteAsync(IdempotencyKey key, string jobId, CancellationToken cancellationToken);

    /// <summary>Forgets a claimed key whose submit failed.</summary>
    Task ReleaseAsync(IdempotencyKey key, CancellationToken cancellationToken);
}
