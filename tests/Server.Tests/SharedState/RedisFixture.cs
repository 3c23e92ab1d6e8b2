using Firecrest.Server.SharedState;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>One redis-server for a test class; each <see cref="Connect"/> is what one replica of the server holds.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly List<RedisConnection> _connections = [];

    public RedisServerProcess Server { get; private set; } = null!;

    /// <summary>A new connection, as another replica would open (disposed with the fixture).</summary>
    public RedisConnection Connect()
    {
        var connection = new RedisConnection(Server.ConnectionString);
        lock (_connections) _connections.Add(connection);
        return connection;
    }

    public async Task InitializeAsync() => Server = await RedisServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var c in _connections) await c.DisposeAsync();
        Server.Dispose();
    }
}
