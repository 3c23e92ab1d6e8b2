using Firecrest.Core.Batch;
using Firecrest.Core.Idempotency;
using Firecrest.Mcp;

namespace Firecrest.Server.SharedState;

/// <summary>Chooses where replicas keep shared state: in this process (no <c>Server:Redis</c>) or in Redis.</summary>
public static class SharedStateRegistration
{
    /// <summary>
    /// With <see cref="SharedStateOptions.Redis"/> set: registers the Redis connection, idempotency store, rate-limit
    /// buckets, batch-run store, MCP call-cancellation relay and a readiness condition (before the engine and the MCP tools, which take them when registered). Without it
    /// nothing is registered and every store stays in process.
    /// </summary>
    public static IServiceCollection AddFirecrestSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Server").Get<SharedStateOptions>() ?? new SharedStateOptions();
        if (string.IsNullOrWhiteSpace(options.Redis)) return services;
        var batchRuns = (configuration.GetSection("Mcp").Get<McpToolOptions>() ?? new McpToolOptions()).BatchRuns;
        services.AddSingleton(new RedisConnection(options.Redis));
        services.AddSingleton<IIdempotencyStore>(sp => new RedisIdempotencyStore(sp.GetRequiredService<RedisConnection>()));
        services.AddSingleton<RedisRateLimits>();
        services.AddSingleton<Hosting.Readiness.IReadinessCondition, RedisReadyCondition>();
        services.AddHostedService<RedisCallCancellationRelay>();
        services.AddSingleton<IBatchRunStore>(sp => new RedisBatchRunStore(sp.GetRequiredService<RedisConnection>(), batchRuns,
            sp.GetRequiredService<ILogger<RedisBatchRunStore>>()));
        return services;
    }
}
