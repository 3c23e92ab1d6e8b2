using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>The server with <c>Server:Redis</c> set: two in-process servers on one real redis-server are two replicas.</summary>
[Trait("Category", "Cluster")] // needs redis-server from deploy/testenv/install.sh
public sealed class RedisServerWiringTests
{
    private static FirecrestFactory Replica(string redis, int burst = 1000) => new(serverSettings: new Dictionary<string, string?>
    {
        ["Server:Redis"] = redis,
        ["Server:RateLimitBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Server:RateLimitPerSecond"] = "1",
    });

    [Fact]
    public async Task Two_replicas_share_one_users_bucket_and_answer_429_with_Retry_After_in_the_envelope()
    {
        using var redis = await RedisServerProcess.StartAsync();
        using var one = Replica(redis.ConnectionString, burst: 4);
        using var two = Replica(redis.ConnectionString, burst: 4);
        using var a = one.ClientFor("alice");
        using var b = two.ClientFor("alice");
        // Alternating replicas until the first refusal: four permits for alice in total, whichever replica serves her,
        // so it comes fifth, or a little later if permits came back meanwhile (one a second); with a bucket per replica
        // eight requests would pass first.
        var first429 = -1;
        for (var i = 0; i < 8 && first429 < 0; i++)
        {
            using var r = await (i % 2 == 0 ? a : b).GetAsync("/status/systems");
            if (r.StatusCode != HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                continue;
            }
            first429 = i;
            Assert.NotNull(r.Headers.RetryAfter);
            Assert.Equal("Too many requests; retry later.", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        }
        Assert.InRange(first429, 4, 7);
    }

    [Fact]
    public async Task Redis_down_is_503_naming_it_while_liveness_stays_200_and_readiness_names_redis()
    {
        using var redis = await RedisServerProcess.StartAsync();
        using var server = Replica(redis.ConnectionString);
        using var client = server.ClientFor("alice");
        using (var up = await client.GetAsync("/status/systems")) Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        redis.Kill();
        using var r = await client.GetAsync("/status/systems");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        var envelope = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["errorType", "message", "causedBy", "data", "user"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("The shared state store (Redis) is unavailable, so rate limiting cannot be served now; retry later.", envelope.GetProperty("message").GetString());
        using var live = await client.GetAsync("/status/liveness/");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/status/readiness/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("redis", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
    }
}
