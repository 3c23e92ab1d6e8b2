using Firecrest.Server.Hosting.Readiness;

namespace Firecrest.Server.SharedState;

/// <summary>Readiness with Redis configured: a replica that cannot reach Redis answers 503 to nearly everything.</summary>
public sealed class RedisReadyCondition(RedisConnection redis) : IReadinessCondition
{
    /// <inheritdoc/>
    public string Name => "redis";

    /// <inheritdoc/>
    public async ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken) =>
        await redis.PingAsync().WaitAsync(cancellationToken)
            ? new ReadinessCheck(Name, true, "the shared state store answers")
            : new ReadinessCheck(Name, false, "the shared state store (Redis, Server:Redis) does not answer");
}
