using Firecrest.Core;
using Firecrest.Server.SharedState;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>The Redis token buckets against a real redis-server: two instances on two connections are two replicas.</summary>
[Trait("Category", "Cluster")] // needs redis-server from deploy/testenv/install.sh
public sealed class RedisRateLimitsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Two_replicas_share_one_bucket_and_a_refusal_says_when_to_retry()
    {
        var a = new RedisRateLimits(redis.Connect());
        var b = new RedisRateLimits(redis.Connect());
        var bucket = "user:" + Guid.NewGuid().ToString("N");
        // One permit a minute, so the test does not depend on how fast it runs.
        var granted = 0;
        for (var i = 0; i < 10; i++)
            if ((await (i % 2 == 0 ? a : b).TakeAsync(bucket, 1, 6, 1)).Granted) granted++;
        Assert.InRange(granted, 6, 7); // the burst, plus at most one refilled while the loop ran on a slow machine
        var refused = await a.TakeAsync(bucket, 1, 6, 1);
        Assert.False(refused.Granted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Asking_with_no_permit_takes_nothing()
    {
        var a = new RedisRateLimits(redis.Connect());
        var bucket = "pre:" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < 20; i++) Assert.True((await a.TakeAsync(bucket, 1, 2, 0)).Granted);
        Assert.True((await a.TakeAsync(bucket, 1, 2, 1)).Granted);
        Assert.True((await a.TakeAsync(bucket, 1, 2, 1)).Granted);
        Assert.False((await a.TakeAsync(bucket, 1, 2, 0)).Granted);
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
