using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// <c>mcp-inspector --cli --strict</c> (the pinned Inspector CLI) on tools/list over stdio and over HTTP <c>/mcp</c>:
/// no schema portability finding at all, neither errors (exit 6) nor warnings.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class InspectorStrictTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    [Fact]
    public async Task Strict_inspector_finds_nothing_in_the_stdio_tool_schemas() =>
        AssertClean(await RunAsync(["-e", $"FIRECREST_MCP_CONFIG={server.Cluster.ConfigPath}", "-e", "FIRECREST_MCP_USER=fireuser",
            "-e", "FIRECREST_MCP_ALLOW_COMMANDS=true", "dotnet", McpServerBinary.Path]));

    [Fact]
    public async Task Strict_inspector_finds_nothing_in_the_http_tool_schemas() =>
        AssertClean(await RunAsync([new Uri(server.BaseUrl, "mcp").ToString(), "--transport", "http",
            "--header", $"Authorization: Bearer {await server.TokenAsync()}"]));

    private static void AssertClean((int Exit, string Stdout, string Stderr) run)
    {
        Assert.True(run.Exit == 0, $"inspector exit {run.Exit}: {run.Stderr}");
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.False(doc.RootElement.TryGetProperty("schemaFindings", out var findings), $"schema findings: {findings}");
        Assert.True(doc.RootElement.GetProperty("result").GetProperty("tools").GetArrayLength() > 10);
    }

    private static Task<(int, string, string)> RunAsync(string[] target) =>
        NodePackages.InspectorAsync([.. target, "--method", "tools/list", "--strict", "--format", "json"]);
}
