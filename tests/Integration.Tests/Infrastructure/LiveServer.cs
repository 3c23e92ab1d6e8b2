using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelContextProtocol.Client;

namespace Firecrest.Integration.Tests.Infrastructure;

/// <summary>
/// The real server in process, on the real engine, against the local cluster: configuration from the cluster's
/// rendered demo YAML, tokens from its OIDC issuer. Share one per test class with <c>IClassFixture&lt;LiveServer&gt;</c>.
/// </summary>
public class LiveServer : WebApplicationFactory<Program>
{
    private static readonly HttpClient TokenHttp = new();

    /// <summary>The local cluster.</summary>
    public TestCluster Cluster { get; } = TestCluster.Current;

    /// <summary>The system name of the demo configuration.</summary>
    public string System => "cluster";

    /// <summary>The server configuration: the rendered demo YAML (scheduler over SSH).</summary>
    protected virtual string ConfigPath => Cluster.ConfigPath;

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("YAML_CONFIG_FILE", ConfigPath);
    }

    /// <summary>A fresh access token of the demo client of <paramref name="user"/> (fireuser or fireuser2).</summary>
    public async Task<string> TokenAsync(string user = "fireuser")
    {
        var (id, secret) = user switch
        {
            "fireuser" => (Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]),
            "fireuser2" => (Cluster["DEMO_CLIENT2_ID"], Cluster["DEMO_CLIENT2_SECRET"]),
            _ => throw new ArgumentException($"no demo client for {user}"),
        };
        using var req = new HttpRequestMessage(HttpMethod.Post, Cluster["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        using var resp = await TokenHttp.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An HTTP client of the in-process server that sends a token of <paramref name="user"/>.</summary>
    public async Task<HttpClient> ClientForAsync(string user = "fireuser")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        return client;
    }

    /// <summary>An MCP client of the server's Streamable HTTP endpoint <c>/mcp</c>, acting as <paramref name="user"/>.</summary>
    public async Task<McpClient> McpClientForAsync(string user = "fireuser")
    {
        var http = await ClientForAsync(user);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }, http, ownsHttpClient: true);
        // A slow first answer under load must not end the version probe: the SDK's fallback after a 5 s probe timeout
        // keeps the probe's version header on initialize, which the server refuses.
        return await McpClient.CreateAsync(transport, new McpClientOptions { DiscoverProbeTimeout = TimeSpan.FromSeconds(30) });
    }
}

/// <summary>The live server with the scheduler over the local slurmrestd only (<c>connection_mode: rest</c>).</summary>
public sealed class RestLiveServer : LiveServer
{
    /// <inheritdoc/>
    protected override string ConfigPath => Cluster["FIRECREST_CONFIG_REST"];
}
