using System.Globalization;
using System.Threading.RateLimiting;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Firecrest.Server.Hosting;
using Firecrest.Server.SharedState;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Rate limit per client address that runs before authentication, on top of the per-user limit: requests without a
/// token take a permit before anything else runs, requests whose token is refused (401) take one afterwards, and once
/// an address has no permit left every request from it is answered 429 with Retry-After before its token is checked,
/// so a flood of bad tokens costs no signature checks. Valid requests take no permit here. Behind a reverse proxy
/// every client shares the proxy's address. With Redis configured the buckets live there (shared by every replica) and
/// the health probes take no permit.
/// </summary>
public sealed class ClientAddressRateLimitMiddleware : IDisposable
{
    private readonly RequestDelegate _next;
    private readonly ServerOptions _options;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RedisRateLimits? _shared;

    /// <summary>Creates the limiter from <see cref="ServerOptions.PreAuthRateLimitPerSecond"/> and <see cref="ServerOptions.PreAuthRateLimitBurst"/>.</summary>
    public ClientAddressRateLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options, RedisRateLimits? shared = null)
    {
        _next = next;
        _options = options.Value;
        _shared = shared;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, _options.PreAuthRateLimitBurst),
            TokensPerPeriod = Math.Max(1, _options.PreAuthRateLimitPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Counts token-less and refused requests of the caller's address; 429 when it has none left.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (_options.PreAuthRateLimitPerSecond <= 0)
        {
            await _next(context);
            return;
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var hasToken = RequestUser.HasBearerToken(context);
        if (_shared is not null)
        {
            await InvokeSharedAsync(context, _shared, "pre:" + address, hasToken);
            return;
        }
        if (hasToken)
        {
            if (_limiter.GetStatistics(address) is { CurrentAvailablePermits: <= 0 })
            {
                await RejectAsync(context);
                return;
            }
        }
        else
        {
            using var lease = _limiter.AttemptAcquire(address);
            if (!lease.IsAcquired)
            {
                await RejectAsync(context, lease);
                return;
            }
        }
        await _next(context);
        if (hasToken && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            _limiter.AttemptAcquire(address).Dispose();
    }

    // The same rule over the Redis buckets: a peek (0 permits) for requests with a token, a permit for the others.
    private async Task InvokeSharedAsync(HttpContext context, RedisRateLimits shared, string bucket, bool hasToken)
    {
        if (HealthProbes.Is(context.Request.Path))
        {
            await _next(context);
            return;
        }
        var decision = await shared.TakeAsync(bucket, _options.PreAuthRateLimitPerSecond, _options.PreAuthRateLimitBurst, hasToken ? 0 : 1);
        if (!decision.Granted)
        {
            await RejectAsync(context, hasToken ? null : decision.RetryAfter);
            return;
        }
        await _next(context);
        if (hasToken && context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            await shared.TakeAsync(bucket, _options.PreAuthRateLimitPerSecond, _options.PreAuthRateLimitBurst, 1);
    }

    private static Task RejectAsync(HttpContext context, RateLimitLease? lease = null) =>
        RejectAsync(context, lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : null);

    private static async Task RejectAsync(HttpContext context, TimeSpan? retryAfter)
    {
        Hosting.Telemetry.ServerMetrics.RateLimitRejected("pre_auth");
        var seconds = retryAfter is { } retry ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, new ApiError(ApiError.Error, "Too many unauthenticated or failed requests from this address; retry later."));
    }

    /// <inheritdoc/>
    public void Dispose() => _limiter.Dispose();
}
