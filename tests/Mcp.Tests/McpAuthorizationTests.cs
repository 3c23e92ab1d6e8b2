using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// The MCP authorization contract of <c>/mcp</c> on the real server: a client without a token is sent to the
/// protected-resource metadata (RFC 9728), finds the issuer there, gets a token from it and calls a tool; bad tokens are
/// named <c>invalid_token</c>; browser origins outside <c>Mcp:AllowedOrigins</c> are refused.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed partial class McpAuthorizationTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_client_without_a_token_discovers_the_issuer_gets_a_token_and_calls_a_tool()
    {
        var mcpUrl = new Uri(server.BaseUrl, "mcp");
        using var first = await Http.SendAsync(ToolsList(mcpUrl, token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        var challenge = first.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer ", challenge);
        Assert.DoesNotContain("error=", challenge); // no token, no error code (RFC 6750)
        var metadataUrl = ResourceMetadata().Match(challenge).Groups[1].Value;
        Assert.Equal(new Uri(server.BaseUrl, ".well-known/oauth-protected-resource/mcp").ToString(), metadataUrl);

        using var metadata = JsonDocument.Parse(await Http.GetStringAsync(metadataUrl));
        Assert.Equal(mcpUrl.ToString(), metadata.RootElement.GetProperty("resource").GetString());
        var issuer = metadata.RootElement.GetProperty("authorization_servers")[0].GetString()!;
        Assert.Equal(server.Cluster["OIDC_ISSUER"], issuer);
        Assert.Equal(JsonValueKind.Array, metadata.RootElement.GetProperty("scopes_supported").ValueKind);

        using var issuerMetadata = JsonDocument.Parse(await Http.GetStringAsync(issuer.TrimEnd('/') + "/.well-known/openid-configuration"));
        var tokenEndpoint = issuerMetadata.RootElement.GetProperty("token_endpoint").GetString()!;
        var (id, secret) = server.ClientOf("fireuser");
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        using var tokenResponse = await Http.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        var token = tokenJson.RootElement.GetProperty("access_token").GetString()!;

        await using var client = await server.McpClientAsync(token);
        var info = await client.CallToolAsync("get_user_info", new Dictionary<string, object?> { ["system"] = "cluster" });
        Assert.True(info.IsError != true, info.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        Assert.Equal("fireuser", info.StructuredContent!.Value.GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_metadata_is_also_at_the_root_well_known_path()
    {
        using var metadata = JsonDocument.Parse(await Http.GetStringAsync(new Uri(server.BaseUrl, ".well-known/oauth-protected-resource")));
        Assert.Equal(new Uri(server.BaseUrl, "mcp").ToString(), metadata.RootElement.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task A_bad_token_is_invalid_token_on_mcp_and_the_rest_api_keeps_its_bare_challenge()
    {
        using var mcp = await Http.SendAsync(ToolsList(new Uri(server.BaseUrl, "mcp"), token: "not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, mcp.StatusCode);
        var challenge = mcp.Headers.WwwAuthenticate.ToString();
        Assert.Contains("resource_metadata=\"", challenge);
        Assert.Contains("error=\"invalid_token\"", challenge);

        using var rest = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUrl, "status/systems"));
        rest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var restResponse = await Http.SendAsync(rest);
        Assert.Equal(HttpStatusCode.Unauthorized, restResponse.StatusCode);
        Assert.Equal("Bearer", restResponse.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Browser_origins_outside_the_allow_list_are_refused_and_requests_without_origin_pass()
    {
        var token = await server.TokenAsync();
        var url = new Uri(server.BaseUrl, "mcp");
        using var foreign = ToolsList(url, token);
        foreign.Headers.Add("Origin", "http://evil.example");
        using var refused = await Http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Mcp:AllowedOrigins", await refused.Content.ReadAsStringAsync());

        using var listed = ToolsList(url, token);
        listed.Headers.Add("Origin", RestServerProcess.AllowedOrigin);
        using var allowed = await Http.SendAsync(listed);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var plain = await Http.SendAsync(ToolsList(url, token));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    private static HttpRequestMessage ToolsList(Uri url, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [GeneratedRegex("resource_metadata=\"([^\"]+)\"")]
    private static partial Regex ResourceMetadata();
}
