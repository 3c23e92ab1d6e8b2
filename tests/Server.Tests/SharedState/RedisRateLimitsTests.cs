using Firecrest.Core;
using Firecrest.Server.SharedState;
using Firecrest.Tests.Support;
using StackExchange.Redis;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>The Redis token buckets against a real redis-server: two instances on two connections are two replicas.</summary>
[Trait("Category", "Cluster")] // needs redis-server from deploy/testenv/install.sh
public sealed class RedisRateLimitsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // One permit back every 1,000 s: no test here runs long enough to see one, however slow the machine.
    private const double Slow = 0.001;

    private static Task<HashEntry[]> StateAsync(RedisConnection connection, string bucket) =>
        connection.RunAsync("test", async db => (await db.HashGetAllAsync(RedisConnection.KeyPrefix + "rate:" + bucket)).OrderBy(e => e.Name.ToString()).ToArray());

    [Fact]
    public async Task Two_replicas_share_one_bucket_and_a_refusal_says_when_to_retry()
    {
        var a = new RedisRateLimits(redis.Connect());
        var b = new RedisRateLimits(redis.Connect());
        var bucket = "user:" + Guid.NewGuid().ToString("N");
        var granted = 0;
        for (var i = 0; i < 10; i++)
            if ((await (i % 2 == 0 ? a : b).TakeAsync(bucket, Slow, 6, 1)).Granted) granted++;
        Assert.Equal(6, granted);
        var refused = await a.TakeAsync(bucket, Slow, 6, 1);
        Assert.False(refused.Granted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(900), TimeSpan.FromSeconds(1000));
    }

    [Fact]
    public async Task Asking_with_no_permit_takes_nothing()
    {
        var connection = redis.Connect();
        var a = new RedisRateLimits(connection);
        var bucket = "pre:" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 20; i++) Assert.True((await a.TakeAsync(bucket, Slow, 2, 0)).Granted);
        Assert.True((await a.TakeAsync(bucket, Slow, 2, 1)).Granted);
        Assert.True((await a.TakeAsync(bucket, Slow, 2, 1)).Granted);
        var emptied = await StateAsync(connection, bucket);

        Assert.False((await a.TakeAsync(bucket, Slow, 2, 0)).Granted);

        Assert.Equal(emptied, await StateAsync(connection, bucket));
    }

    [Fact]
    public async Task Redis_down_is_a_503_naming_rate_limiting()
    {
        using var down = await RedisServerProcess.StartAsync();
        await using var connection = new RedisConnection(down.ConnectionString);
        var limits = new RedisRateLimits(connection);
        Assert.True((await limits.TakeAsync("x", 1, 1, 1)).Granted);
        down.Kill();
        var e = await Assert.ThrowsAsync<HpcException>(() => limits.TakeAsync("x", 1, 1, 1).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Contains("rate limiting", e.Message);
    }
}
