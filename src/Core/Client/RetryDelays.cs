using System.Net.Http.Headers;

namespace Firecrest.Core.Client;

/// <summary>How long to wait before retrying a call: the server's <c>Retry-After</c> when it sent one, else exponential jittered backoff.</summary>
public static class RetryDelays
{
    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (0 for the first retry): <paramref name="retryAfter"/>
    /// (seconds or an HTTP date relative to <paramref name="now"/>) when given, otherwise
    /// <paramref name="baseDelay"/> × 2^attempt with full jitter in its upper half; never more than <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Next(int attempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan baseDelay, TimeSpan max, Random? random = null)
    {
        if (FromRetryAfter(retryAfter, now) is { } serverDelay) return Min(serverDelay, max);
        return new Backoff(baseDelay, max, factor: 2, jitter: 0.5).Delay(attempt, random);
    }

    /// <summary>The delay a <c>Retry-After</c> header asks for (never negative), or null when there is none.</summary>
    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
