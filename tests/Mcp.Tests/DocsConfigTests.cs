using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// The client configurations of docs/mcp.md, taken from the page (its <c>```json name</c> blocks) with the example values
/// replaced by the local cluster's, used as a host would: through the TypeScript SDK client, and the Inspector block
/// through the Inspector's own <c>--config</c>.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed partial class DocsConfigTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private static readonly string[] Blocks = ["claude-desktop-direct", "claude-desktop-remote", "vscode-stdio", "vscode-http", "inspector"];

    [Fact]
    public void The_page_has_every_configuration()
    {
        var blocks = ReadBlocks();
        foreach (var name in Blocks) Assert.True(blocks.ContainsKey(name), $"docs/mcp.md has no ```json {name} block");
    }

    [Theory]
    [InlineData("claude-desktop-direct", "mcpServers")]
    [InlineData("claude-desktop-remote", "mcpServers")]
    [InlineData("vscode-stdio", "servers")]
    [InlineData("vscode-http", "servers")]
    public async Task A_documented_configuration_connects_and_calls_tools(string block, string serversKey)
    {
        var config = await LocalizeAsync(ReadBlocks()[block]);
        var entry = config[serversKey]!["firecrest"]!.AsObject();
        var transport = entry["type"]?.GetValue<string>() == "http"
            ? new JsonObject { ["type"] = "http", ["url"] = entry["url"]!.GetValue<string>(), ["headers"] = entry["headers"]?.DeepClone() }
            : Stdio(entry);
        var report = await DriveAsync(transport);
        Assert.False(report.TryGetProperty("fatal", out var fatal), $"{block}: {fatal}");
        foreach (var r in report.GetProperty("results").EnumerateArray())
        {
            Assert.False(r.TryGetProperty("exception", out var e), $"{block} {r.GetProperty("tool")}: {e}");
            Assert.False(r.GetProperty("isError").GetBoolean(), $"{block} {r.GetProperty("tool")}: {r.GetProperty("text")}");
        }
        Assert.Contains("fireuser", report.GetProperty("results")[1].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("firecrest")]
    [InlineData("firecrest-http")]
    public async Task The_documented_inspector_configuration_works_with_the_inspector(string serverName)
    {
        var config = await LocalizeAsync(ReadBlocks()["inspector"]);
        foreach (var (_, entry) in config["mcpServers"]!.AsObject())
            if (entry!["command"] is not null) entry.AsObject()["args"] = StdioArgs(entry.AsObject());
        foreach (var (_, entry) in config["mcpServers"]!.AsObject())
            if (entry!["command"] is not null) entry.AsObject()["command"] = "dotnet";
        var path = Path.Combine(Path.GetTempPath(), $"inspector-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        try
        {
            var (exit, stdout, stderr) = await NodePackages.InspectorAsync(
                ["--config", path, "--server", serverName, "--method", "tools/call", "--tool-name", "list_systems", "--format", "json"]);
            Assert.True(exit == 0, $"inspector exit {exit}: {stderr}\n{stdout}");
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal("cluster", doc.RootElement.GetProperty("result").GetProperty("structuredContent").GetProperty("items")[0].GetProperty("name").GetString());
        }
        finally { File.Delete(path); }
    }

    /// <summary>The page's example values replaced by the local cluster's.</summary>
    private async Task<JsonObject> LocalizeAsync(string json)
    {
        var (id, secret) = server.ClientOf("fireuser");
        var token = await server.TokenAsync();
        var text = json
            .Replace("https://firecrest.example.org", server.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("https://auth.example.org/token", server.Cluster["OIDC_TOKEN_URL"], StringComparison.Ordinal)
            .Replace("/etc/firecrest/f7t-api-config.yaml", server.Cluster.ConfigPath, StringComparison.Ordinal)
            .Replace("\"alice\"", "\"fireuser\"", StringComparison.Ordinal)
            .Replace("my-client-id", id, StringComparison.Ordinal)
            .Replace("my-client-secret", secret, StringComparison.Ordinal)
            .Replace("${input:firecrest-token}", token, StringComparison.Ordinal)
            .Replace("YOUR_ACCESS_TOKEN", token, StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The installed tool's command <c>firecrest-mcp</c> is the built dll here.</summary>
    private static JsonObject Stdio(JsonObject entry) => new()
    {
        ["type"] = "stdio", ["command"] = "dotnet", ["args"] = StdioArgs(entry), ["env"] = entry["env"]?.DeepClone(),
    };

    private static JsonArray StdioArgs(JsonObject entry)
    {
        Assert.Equal("firecrest-mcp", entry["command"]!.GetValue<string>());
        var args = new JsonArray(McpServerBinary.Path);
        foreach (var a in entry["args"]?.AsArray() ?? []) args.Add(a!.DeepClone());
        return args;
    }

    private static Task<JsonElement> DriveAsync(JsonObject transport) => SdkClientDriver.RunAsync(new JsonObject
    {
        ["transport"] = transport,
        ["steps"] = new JsonArray(
            new JsonObject { ["tool"] = "list_systems" },
            new JsonObject { ["tool"] = "get_user_info", ["arguments"] = new JsonObject { ["system"] = "cluster" } }),
    }, TimeSpan.FromMinutes(3));

    private static Dictionary<string, string> ReadBlocks()
    {
        var page = File.ReadAllText(Path.Combine(McpServerBinary.RepositoryRoot, "docs", "mcp.md"));
        return Block().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["json"].Value);
    }

    [GeneratedRegex(@"```json (?<name>[\w-]+)\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
