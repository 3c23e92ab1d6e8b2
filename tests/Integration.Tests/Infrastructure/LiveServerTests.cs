using System.Net;
using System.Text.Json;

namespace Firecrest.Integration.Tests.Infrastructure;

/// <summary>The in-process server runs on the real engine against the local cluster.</summary>
public sealed class LiveServerTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Userinfo_comes_from_the_cluster_as_the_token_user()
    {
        using var http = await server.ClientForAsync("fireuser2");
        using var resp = await http.GetAsync($"/status/{server.System}/userinfo");
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("fireuser2", doc.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Contains(doc.RootElement.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("name").GetString() == "hpcproj");
    }

    [Fact]
    public async Task Listing_another_users_home_is_refused_with_403()
    {
        using var http = await server.ClientForAsync("fireuser2");
        using var resp = await http.GetAsync($"/filesystem/{server.System}/ops/ls?path=/home/fireuser");
        Assert.Equal(HttpStatusCode.Forbidden, resp.StatusCode);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        Assert.Equal("fireuser2", doc.RootElement.GetProperty("user").GetString());
    }
}
