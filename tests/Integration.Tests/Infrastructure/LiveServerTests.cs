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

    [Theory]
    [InlineData("fireuser", new[] { "hpcproj", "hpcproj2" })]
    [InlineData("fireuser2", new[] { "hpcproj" })]
    public async Task Userinfo_groups_include_the_project_groups_that_are_slurm_accounts(string user, string[] projects)
    {
        using var http = await server.ClientForAsync(user);
        using var resp = await http.GetAsync($"/status/{server.System}/userinfo");
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        var groups = doc.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        var accounts = doc.RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.All(projects, p => Assert.Contains(p, groups));
        Assert.All(projects, p => Assert.Contains(p, accounts));
    }
}
