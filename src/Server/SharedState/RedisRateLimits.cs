using StackExchange.Redis;

namespace Firecrest.Server.SharedState;

/// <summary>
/// Token buckets in Redis, shared by every replica: the same refill and burst as the in-process limiter, so a user
/// gets the configured rate in total whichever replica serves each request. The clock is Redis's own (no skew between
/// replicas). Redis unreachable → <see cref="Core.HpcErrorKind.Unavailable"/> (503), never an unlimited or local bucket.
/// </summary>
public sealed class RedisRateLimits(RedisConnection redis)
{
    private const string What = "rate limiting";

    // KEYS[1] bucket; ARGV refill per second, burst, permits (0 only asks whether one is left). Answers {granted, retry ms}.
    private const string TakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(b[1]) or burst
        local ts = tonumber(b[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
        local granted = 0
        if want == 0 then
          if tokens >= 1 then granted = 1 end
        elseif tokens >= want then
          tokens = tokens - want
          granted = 1
        end
        if want > 0 then
          redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
          redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        end
        local retry = 0
        if granted == 0 then retry = math.ceil((math.max(want, 1) - tokens) * 1000 / rate) end
        return {granted, retry}
        """;

    /// <summary>
    /// Takes <paramref name="permits"/> from bucket <paramref name="bucket"/> (refilled at <paramref name="perSecond"/>,
    /// holding at most <paramref name="burst"/>; a rate of 0 or less is 1); 0 permits only asks whether one is left and changes nothing.
    /// </summary>
    public async Task<RateDecision> TakeAsync(string bucket, double perSecond, int burst, int permits)
    {
        var answer = (RedisResult[])(await redis.RunAsync(What, db => db.ScriptEvaluateAsync(TakeScript,
            [(RedisKey)(RedisConnection.KeyPrefix + "rate:" + bucket)], [perSecond > 0 ? perSecond : 1, Math.Max(1, burst), permits])).ConfigureAwait(false))!;
        return new RateDecision((long)answer[0] == 1, TimeSpan.FromMilliseconds((long)answer[1]));
    }
}

/// <summary>The answer of <see cref="RedisRateLimits.TakeAsync"/>.</summary>
/// <param name="Granted">True when the permits were taken (or, asking with 0, one is left).</param>
/// <param name="RetryAfter">How long until enough permits are back, when not granted.</param>
public readonly record struct RateDecision(bool Granted, TimeSpan RetryAfter);
