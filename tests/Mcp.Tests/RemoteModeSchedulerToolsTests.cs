using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Remote mode (stdio server → FirecREST REST server → cluster): the tools built on features beyond the FirecREST v2 API
/// refuse clearly; those that need only the API (partitions, arrays, describe without accounting) still work.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class RemoteModeSchedulerToolsTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private const string System = "cluster";

    private static string Text(CallToolResult r) => string.Join("\n", r.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Fact]
    public async Task Hold_release_and_nodes_say_they_need_direct_mode_and_partitions_still_list()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (id, secret) = server.ClientOf("fireuser");
        await using var mcp = await StdioMcpProcess.StartAsync(
            ["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", secret], cts.Token);

        foreach (var (tool, args) in new (string, Dictionary<string, object?>)[]
        {
            ("hold_job", new() { ["system"] = System, ["job_id"] = "1" }),
            ("release_job", new() { ["system"] = System, ["job_id"] = "1" }),
            ("list_nodes", new() { ["system"] = System }),
        })
        {
            var r = await mcp.Client.CallToolAsync(tool, args, cancellationToken: cts.Token);
            Assert.True(r.IsError, tool);
            Assert.Contains("not part of the FirecREST v2 API", Text(r));
            Assert.Contains("direct mode", Text(r));
        }

        var partitions = await mcp.Client.CallToolAsync("list_partitions", new Dictionary<string, object?> { ["system"] = System }, cancellationToken: cts.Token);
        Assert.True(partitions.IsError != true, Text(partitions));
        var debug = partitions.StructuredContent!.Value.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "debug");
        Assert.Equal(("UP", 8), (debug.GetProperty("state").GetString(), debug.GetProperty("totalCpus").GetInt32()));
        Assert.Equal(JsonValueKind.Null, debug.GetProperty("maxTimeSeconds").ValueKind);
    }
}
