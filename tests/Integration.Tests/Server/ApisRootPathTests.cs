using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Firecrest.Integration.Tests.Server;

/// <summary>The real server on the local cluster with <c>apis_root_path: "/api/v2"</c> (served as behind a reverse proxy).</summary>
public sealed class ApisRootPathTests : IClassFixture<ApisRootPathTests.PrefixedServer>, IClassFixture<LiveServer>
{
    private readonly PrefixedServer _server;
    private readonly LiveServer _live;

    public ApisRootPathTests(PrefixedServer server, LiveServer live)
    {
        _server = server;
        _live = live;
    }

    /// <summary>The server with the cluster's YAML, apis_root_path set to /api/v2.</summary>
    public sealed class PrefixedServer : WebApplicationFactory<Program>
    {
        private readonly string _yaml = Path.Combine(Path.GetTempPath(), $"f7t-rootpath-{Guid.NewGuid():N}.yaml");

        public PrefixedServer()
        {
            var text = File.ReadAllText(TestCluster.Current.ConfigPath);
            Assert.Contains("apis_root_path: \"\"", text);
            File.WriteAllText(_yaml, text.Replace("apis_root_path: \"\"", "apis_root_path: \"/api/v2\""));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("YAML_CONFIG_FILE", _yaml);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            try { File.Delete(_yaml); } catch (IOException) { }
        }
    }

    private async Task<HttpClient> ClientAsync()
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _live.TokenAsync());
        return client;
    }

    [Fact]
    public async Task Systems_answer_under_the_prefix()
    {
        var client = await ClientAsync();
        var response = await client.GetAsync("/api/v2/status/systems");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("cluster", doc.RootElement.GetProperty("systems")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/API/v2/status/liveness/")).StatusCode);
    }

    [Fact]
    public async Task Ops_under_the_prefix_reach_the_cluster()
    {
        var client = await ClientAsync();
        var home = "/home/" + _live.Cluster["SSH_USER"];
        var response = await client.GetAsync($"/api/v2/filesystem/cluster/ops/ls?path={Uri.EscapeDataString(home)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("output").ValueKind);
    }

    [Fact]
    public async Task Openapi_document_is_served_under_the_prefix_with_the_prefix_as_its_server()
    {
        var response = await _server.CreateClient().GetAsync("/api/v2/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/api/v2", doc.RootElement.GetProperty("servers")[0].GetProperty("url").GetString());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/status/systems", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/v2", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _server.CreateClient().GetAsync("/api/v2/docs")).StatusCode);
    }

    [Fact]
    public async Task Server_without_a_root_path_lists_no_prefix_server()
    {
        var response = await _live.CreateClient().GetAsync("/openapi.json");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var servers = doc.RootElement.TryGetProperty("servers", out var s) ? s.EnumerateArray().Select(x => x.GetProperty("url").GetString()).ToList() : [];
        Assert.DoesNotContain("/api/v2", servers);
    }
}
