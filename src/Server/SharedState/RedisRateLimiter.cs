using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Firecrest.Server.SharedState;

/// <summary>
/// One partition of the per-user limiter over <see cref="RedisRateLimits"/>. A synchronous attempt cannot ask Redis, so
/// it always answers "not acquired" and ASP.NET Core's rate-limiting middleware goes on to the asynchronous acquire
/// (here <see cref="AcquireAsyncCore"/>) which decides; the lease carries Retry-After like the in-process token bucket's.
/// </summary>
internal sealed class RedisRateLimiter(RedisRateLimits buckets, string bucket, int perSecond, int burst) : RateLimiter
{
    private long _lastUsed = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYet;

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        var decision = await buckets.TakeAsync(bucket, perSecond, burst, permitCount).ConfigureAwait(false);
        return decision.Granted ? Lease.Granted : new Lease(false, decision.RetryAfter);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotYet = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
