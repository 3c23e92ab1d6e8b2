using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Firecrest.Core.Idempotency;
using StackExchange.Redis;

namespace Firecrest.Server.SharedState;

/// <summary>
/// <see cref="IIdempotencyStore"/> in Redis, shared by every replica: a claim is one atomic script, kept 24 hours. A
/// holder renews its claim's lease while it submits; when its replica dies, the lease runs out after
/// the claim lease (<see cref="DefaultClaimLease"/>) and a waiting retry claims the key and submits. The one window left open: a replica that dies
/// after the scheduler accepted the job but before the job id was written leaves a job the retry does not know of.
/// Redis unreachable → <see cref="Core.HpcErrorKind.Unavailable"/>; nothing is kept locally instead.
/// </summary>
public sealed class RedisIdempotencyStore(RedisConnection redis, TimeSpan? lifetime = null, TimeSpan? claimLease = null) : IIdempotencyStore, IDisposable
{
    /// <summary>How long a claim outlives its holder's last renewal, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultClaimLease = TimeSpan.FromSeconds(20);

    private const string What = "idempotent job submission (Idempotency-Key)";
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(200);

    // KEYS[1] entry; ARGV fingerprint, lifetime ms, lease ms. Answers {outcome, job id}.
    private const string ClaimScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local e = redis.call('HMGET', KEYS[1], 'fp', 'job', 'until')
        if not e[1] then
          redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'until', now + tonumber(ARGV[3]))
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {'claimed', ''}
        end
        if e[1] ~= ARGV[1] then return {'mismatch', ''} end
        if e[2] then return {'completed', e[2]} end
        if tonumber(e[3]) < now then
          redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[3]))
          return {'claimed', ''}
        end
        return {'wait', ''}
        """;

    // KEYS[1] entry; ARGV lease ms. Extends a pending claim.
    private const string RenewScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if redis.call('HEXISTS', KEYS[1], 'job') == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[1]))
        end
        return 1
        """;

    private readonly TimeSpan _lifetime = lifetime ?? InMemoryIdempotencyStore.DefaultLifetime;
    private readonly TimeSpan _claimLease = claimLease ?? DefaultClaimLease;
    private readonly ConcurrentDictionary<IdempotencyKey, CancellationTokenSource> _renewals = new();

    /// <inheritdoc/>
    public async Task<IdempotencyClaim> ClaimAsync(IdempotencyKey key, string fingerprint, CancellationToken cancellationToken)
    {
        var redisKey = KeyOf(key);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var answer = (RedisResult[])(await redis.RunAsync(What, db => db.ScriptEvaluateAsync(ClaimScript, [redisKey],
                [fingerprint, (long)_lifetime.TotalMilliseconds, (long)_claimLease.TotalMilliseconds])).ConfigureAwait(false))!;
            switch ((string?)answer[0])
            {
                case "claimed":
                    StartRenewing(key, redisKey);
                    return new IdempotencyClaim(IdempotencyOutcome.Claimed);
                case "completed":
                    return new IdempotencyClaim(IdempotencyOutcome.Completed, (string?)answer[1]);
                case "mismatch":
                    return new IdempotencyClaim(IdempotencyOutcome.Mismatch);
            }
            // Another request (on any replica) holds the key with the same fingerprint: wait for its outcome.
            await Task.Delay(WaitPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task CompleteAsync(IdempotencyKey key, string jobId, CancellationToken cancellationToken)
    {
        StopRenewing(key);
        await redis.RunAsync(What, db => db.HashSetAsync(KeyOf(key), "job", jobId)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task ReleaseAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        StopRenewing(key);
        await redis.RunAsync(What, db => db.KeyDeleteAsync(KeyOf(key))).ConfigureAwait(false);
    }

    /// <summary>The Redis key of <paramref name="key"/>: a hash, so user names and keys of any text make no odd keys.</summary>
    internal static RedisKey KeyOf(IdempotencyKey key)
    {
        var text = $"{key.User.Length}:{key.User}{key.System.Length}:{key.System}{key.Key}";
        return RedisConnection.KeyPrefix + "idem:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private void StartRenewing(IdempotencyKey key, RedisKey redisKey)
    {
        var stop = new CancellationTokenSource();
        if (_renewals.TryRemove(key, out var earlier)) earlier.Cancel();
        _renewals[key] = stop;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_claimLease / 4);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await redis.RunAsync(What, db => db.ScriptEvaluateAsync(RenewScript, [redisKey], [(long)_claimLease.TotalMilliseconds])).ConfigureAwait(false);
                    }
                    catch (Core.HpcException)
                    {
                        // Redis away for a moment: the next tick tries again; the lease is long enough for a few misses.
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                stop.Dispose();
            }
        });
    }

    private void StopRenewing(IdempotencyKey key)
    {
        if (_renewals.TryRemove(key, out var stop))
        {
            try { stop.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var key in _renewals.Keys) StopRenewing(key);
    }
}
