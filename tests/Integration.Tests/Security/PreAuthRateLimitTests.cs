using System.Net;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Shared;
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
        for (var i = 0; i < 100; i++) statuses.Add(await forged.GetAsync("/status/systems"));
        var unauthorized = statuses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        output.WriteLine($"100 forged tokens: {unauthorized} × 401, {limited.Count} × 429");
        Assert.Equal(100, unauthorized + limited.Count);
        Assert.InRange(unauthorized, burst, burst + 10);
        Assert.All(limited, r => Assert.True(int.Parse(r.Headers.RetryAfter!.ToString()) >= 1));

        using var anonymous = server.CreateClient();
        using (var r = await anonymous.GetAsync("/status/systems"))
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        foreach (var r in statuses) r.Dispose();
    }
}
