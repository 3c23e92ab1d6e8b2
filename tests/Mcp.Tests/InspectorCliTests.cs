using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using Firecrest.Tests.Support;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Drives the stdio server (direct mode, local cluster) with the MCP Inspector CLI from npm
/// (<c>@modelcontextprotocol/inspector</c>, pinned in inspector/package-lock.json; installed with <c>npm ci</c> when missing).
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
public sealed class InspectorCliTests
{

    [Fact]
    public async Task Inspector_lists_the_tools_with_their_hints()
    {
        var (exit, stdout, stderr) = await RunInspectorAsync("--method", "tools/list");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var tools = doc.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray().ToList();
        Assert.Contains(tools, t => t.GetProperty("name").GetString() == "submit_job");
        var list = tools.Single(t => t.GetProperty("name").GetString() == "list_systems");
        Assert.True(list.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean());
        var remove = tools.Single(t => t.GetProperty("name").GetString() == "remove_path");
        Assert.True(remove.GetProperty("annotations").GetProperty("destructiveHint").GetBoolean());
    }

    [Fact]
    public async Task Inspector_calls_list_systems()
    {
        var (exit, stdout, stderr) = await RunInspectorAsync("--method", "tools/call", "--tool-name", "list_systems");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var result = doc.RootElement.GetProperty("result");
        Assert.False(result.TryGetProperty("isError", out var e) && e.GetBoolean(), stdout);
        Assert.Contains("cluster", result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("cluster", result.GetProperty("structuredContent").GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Inspector_sees_a_tool_error_for_an_unknown_job()
    {
        var (exit, stdout, _) = await RunInspectorAsync("--method", "tools/call", "--tool-name", "get_job",
            "--tool-args-json", """{"system":"cluster","job_id":"999999999"}""");
        Assert.Equal(5, exit);
        Assert.Contains("list_jobs", stdout);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunInspectorAsync(params string[] arguments)
    {
        var cluster = TestCluster.Current;
        // The inspector passes only HOME, LOGNAME, PATH, SHELL, TERM, USER and -e values to the server, and it takes
        // --config for itself: the server is configured with -e variables.
        return await NodePackages.InspectorAsync(["-e", $"FIRECREST_MCP_CONFIG={cluster.ConfigPath}", "-e", "FIRECREST_MCP_USER=fireuser",
            "dotnet", McpServerBinary.Path, .. arguments, "--format", "json"]);
    }
}
