using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Remote mode (stdio server → FirecREST REST server → cluster): the tools built on features beyond the FirecREST v2 API
/// are not offered; those that need only the API (partitions, arrays, describe without accounting) are.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Server", "Process")]
public sealed class RemoteModeSchedulerToolsTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private const string System = "cluster";

    private static string Text(CallToolResult r) => string.Join("\n", r.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Fact]
    public async Task Hold_release_and_nodes_are_not_offered_and_partitions_still_list()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (id, secret) = server.ClientOf("fireuser");
        await using var mcp = await StdioMcpProcess.StartAsync(
            ["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", secret], cts.Token);

        // Tools built on features outside the FirecREST v2 API are not offered through a FirecREST server.
        var names = (await mcp.Client.ListToolsAsync(cancellationToken: cts.Token)).Select(t => t.Name).ToList();
        Assert.Contains("describe_job", names);
        Assert.Contains("submit_job_array", names);
        Assert.DoesNotContain("hold_job", names);
        Assert.DoesNotContain("release_job", names);
        Assert.DoesNotContain("list_nodes", names);

        var partitions = await mcp.Client.CallToolAsync("list_partitions", new Dictionary<string, object?> { ["system"] = System }, cancellationToken: cts.Token);
        Assert.True(partitions.IsError != true, Text(partitions));
        var debug = partitions.StructuredContent!.Value.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "debug");
        Assert.Equal(("UP", 8), (debug.GetProperty("state").GetString(), debug.GetProperty("totalCpus").GetInt32()));
        Assert.Equal(JsonValueKind.Null, debug.GetProperty("maxTimeSeconds").ValueKind);
    }
}
