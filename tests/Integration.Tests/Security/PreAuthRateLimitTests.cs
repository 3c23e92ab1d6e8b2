using System.Diagnostics;
using System.Net;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>A flood of bad tokens from one address meets 429 with Retry-After (the limit runs before authentication).</summary>
[Trait("Category", "Security")]
public sealed class PreAuthRateLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_401_flood_meets_429_with_retry_after()
    {
        const int burst = 20;
        await using var server = new ReliabilityServer(TestCluster.Current.ConfigPath, new Dictionary<string, string>
        {
            ["Server:PreAuthRateLimitPerSecond"] = "1",
            ["Server:PreAuthRateLimitBurst"] = burst.ToString(),
        });
        var good = await ReliabilityServer.TokenAsync(TestCluster.Current["OIDC_TOKEN_URL"], TestCluster.Current["DEMO_CLIENT_ID"], TestCluster.Current["DEMO_CLIENT_SECRET"]);
        using var forged = server.ClientWithToken(good[..^6] + "AAAAAA");
        var statuses = new List<HttpResponseMessage>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++) statuses.Add(await forged.GetAsync("/status/systems"));
        var unauthorized = statuses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var seen = string.Join(", ", statuses.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Count()} × {g.Key}"));
        output.WriteLine($"100 forged tokens in {clock.Elapsed.TotalSeconds:0.0} s: {seen}");
        Assert.True(unauthorized + limited.Count == 100, $"answers other than 401 and 429: {seen}");
        // The bucket holds the burst and gains one permit per second while the flood runs.
        Assert.InRange(unauthorized, burst, burst + (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1);
        Assert.All(limited, r => Assert.True(int.Parse(r.Headers.RetryAfter!.ToString()) >= 1));

        // A request without a token takes a permit: two sent back to back cannot both find one, since a permit comes
        // back only once a second.
        using var anonymous = server.CreateClient();
        var after = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var r = await anonymous.GetAsync("/status/systems");
            after.Add(r.StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, after);
        Assert.All(after, s => Assert.Contains(s, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized }));
        foreach (var r in statuses) r.Dispose();
    }
}
