using System.Text.Json;
using Firecrest.Mcp.Contract;
using Firecrest.Server.Apis;
using StackExchange.Redis;

namespace Firecrest.Server.SharedState;

/// <summary>
/// MCP <c>notifications/cancelled</c> across replicas: a cancellation that arrives on a replica not running the call is
/// published on a Redis channel, and every replica cancels the call if it runs it (same user, same request id). Best
/// effort: while Redis is down the cancellation is lost (logged) and the call runs to its end.
/// </summary>
public sealed class RedisCallCancellationRelay(RedisConnection redis, CallCancellation calls, ILogger<RedisCallCancellationRelay> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisConnection.KeyPrefix + "mcp-cancel");

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        calls.Relay = PublishAsync;
        // Subscribed once; StackExchange.Redis subscribes again by itself after a reconnect. Until Redis answers, retry.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.SubscribeAsync(Channel, OnMessage);
                return;
            }
            catch (Core.HpcException e)
            {
                logger.LogWarning("MCP cancellations of other replicas are not received yet: {Message}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    private async Task PublishAsync(string user, string requestId)
    {
        try
        {
            await redis.RunAsync("MCP call cancellation", db => db.PublishAsync(Channel, JsonSerializer.Serialize([user, requestId], ServerJsonContext.Default.StringArray)));
        }
        catch (Core.HpcException e)
        {
            logger.LogWarning("An MCP cancellation was not passed to the other replicas: {Message}", e.Message);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize((string)message!, ServerJsonContext.Default.StringArray) is [var user, var id]) calls.Cancel(user, id);
        }
        catch (JsonException)
        {
            // Not ours: ignored.
        }
    }
}
