using Firecrest.Core;
using StackExchange.Redis;

namespace Firecrest.Server.SharedState;

/// <summary>
/// The one connection to the Redis that replicas share (<see cref="SharedStateOptions.Redis"/>). Commands fail fast
/// while Redis is unreachable (no local fallback, no queueing): every use goes through <see cref="RunAsync{T}"/>,
/// which turns a Redis failure into <see cref="HpcErrorKind.Unavailable"/> (503) naming what cannot be served.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    /// <summary>Prefix of every key the server writes, so one Redis can serve other applications too.</summary>
    public const string KeyPrefix = "firecrest:";

    private readonly ConfigurationOptions _configuration;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>Parses <paramref name="connectionString"/> (StackExchange.Redis syntax, e.g. <c>127.0.0.1:6379,password=…</c>).</summary>
    public RedisConnection(string connectionString)
    {
        _configuration = ConfigurationOptions.Parse(connectionString);
        _configuration.AbortOnConnectFail = false;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Back within a second or two of Redis coming back, not after an exponential pause.
        _configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        if (!connectionString.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase)) _configuration.ConnectTimeout = 3000;
        if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) _configuration.AsyncTimeout = 3000;
        if (!connectionString.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase)) _configuration.SyncTimeout = 3000;
    }

    /// <summary>Runs <paramref name="action"/> on the database; a Redis failure becomes a 503 naming <paramref name="what"/>.</summary>
    public async Task<T> RunAsync<T>(string what, Func<IDatabase, Task<T>> action)
    {
        try
        {
            var multiplexer = await ConnectAsync().ConfigureAwait(false);
            return await action(multiplexer.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable(what, e);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the database; a Redis failure becomes a 503 naming <paramref name="what"/>.</summary>
    public Task RunAsync(string what, Func<IDatabase, Task> action) =>
        RunAsync<bool>(what, async db =>
        {
            await action(db).ConfigureAwait(false);
            return true;
        });

    /// <summary>Subscribes <paramref name="handler"/> to <paramref name="channel"/>; kept across reconnects.</summary>
    public async Task SubscribeAsync(RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            var multiplexer = await ConnectAsync().ConfigureAwait(false);
            await multiplexer.GetSubscriber().SubscribeAsync(channel, handler).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw Unavailable("a subscription to " + channel, e);
        }
    }

    /// <summary>The 503 for <paramref name="what"/> when Redis failed with <paramref name="cause"/>.</summary>
    public static HpcException Unavailable(string what, Exception? cause = null) =>
        new(HpcErrorKind.Unavailable, $"The shared state store (Redis) is unavailable, so {what} cannot be served now; retry later.", cause)
        {
            CausedBy = cause is null ? null : ["redis: " + cause.GetType().Name],
        };

    /// <summary>True when a ping answers within the timeouts.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            await RunAsync("a ping", db => db.PingAsync()).ConfigureAwait(false);
            return true;
        }
        catch (HpcException)
        {
            return false;
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (Volatile.Read(ref _multiplexer) is { } ready) return ready;
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            // Created once: with AbortOnConnectFail off it keeps reconnecting in the background while Redis is down.
            return _multiplexer ??= await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } m) await m.DisposeAsync().ConfigureAwait(false);
        _connecting.Dispose();
    }
}
