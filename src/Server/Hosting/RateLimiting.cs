using System.Globalization;
using System.Threading.RateLimiting;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Firecrest.Server.SharedState;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Hosting;

/// <summary>
/// Per-user token-bucket rate limiting (anonymous callers by address); 429 with Retry-After in the error envelope.
/// With Redis configured (<see cref="SharedState.SharedStateOptions.Redis"/>) the buckets live there, shared by every
/// replica, and the health probes (liveness, readiness) take no permit, so a load balancer still sees a live replica
/// while Redis is down (every other request is then answered 503).
/// </summary>
public static class RateLimiting
{
    /// <summary>Registers the limiter configured by <see cref="ServerOptions"/>.</summary>
    public static IServiceCollection AddFirecrestRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
                var key = RequestUser.TryGetUsername(context) is { } user ? "user:" + user : "addr:" + context.Connection.RemoteIpAddress;
                if (context.RequestServices.GetService<RedisRateLimits>() is { } shared)
                {
                    if (HealthProbes.Is(context.Request.Path)) return RateLimitPartition.GetNoLimiter("probe");
                    return RateLimitPartition.Get(key, k => new RedisRateLimiter(shared, k, options.RateLimitPerSecond, options.RateLimitBurst));
                }
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.RateLimitBurst),
                    TokensPerPeriod = Math.Max(1, options.RateLimitPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (ctx, _) =>
            {
                Telemetry.ServerMetrics.RateLimitRejected(RequestUser.TryGetUsername(ctx.HttpContext) is null ? "anonymous" : "user");
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ErrorWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests,
                    new ApiError(ApiError.Error, "Too many requests; retry later."));
            };
        });
}
