using System.Net;
using System.Net.Http.Headers;
using Firecrest.Integration.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Mcp;

/// <summary>MCP over Streamable HTTP at /mcp of the real server, with tokens from the local OIDC issuer.</summary>
public sealed class HttpEndpointTests(LiveServer server) : IClassFixture<LiveServer>
{
    private Task<McpClient> ConnectAsync(string user) => server.McpClientForAsync(user);

    [Theory]
    [InlineData("fireuser")]
    [InlineData("fireuser2")]
    public async Task Tools_act_as_the_tokens_user(string user)
    {
        await using var client = await ConnectAsync(user);
        var r = await client.CallToolAsync("get_user_info", new Dictionary<string, object?> { ["system"] = server.System });
        Assert.True(r.IsError != true, r.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        Assert.Equal(user, r.StructuredContent!.Value.GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Lists_tools_without_local_file_tools_and_lists_systems()
    {
        await using var client = await ConnectAsync("fireuser");
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("submit_job", names);
        Assert.DoesNotContain("upload_file", names);
        Assert.DoesNotContain("run_command", names);
        var systems = await client.CallToolAsync("list_systems", new Dictionary<string, object?>());
        Assert.Contains(server.System, systems.Content.OfType<TextContentBlock>().First().Text);
    }

    [Fact]
    public async Task Without_a_token_the_endpoint_answers_401()
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", MediaTypeHeaderValue.Parse("application/json")),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", MediaTypeHeaderValue.Parse("application/json")),
        };
        bad.Headers.Accept.ParseAdd("application/json");
        bad.Headers.Accept.ParseAdd("text/event-stream");
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var badResponse = await http.SendAsync(bad);
        Assert.Equal(HttpStatusCode.Unauthorized, badResponse.StatusCode);
    }
}
