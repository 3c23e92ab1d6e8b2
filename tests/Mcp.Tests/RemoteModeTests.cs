using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Ssh;
using Firecrest.Mcp.Tests.Infrastructure;
using Firecrest.Tests.Support;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// End to end in remote mode: the stdio MCP server process (<c>firecrest-mcp --url ...</c>) talks over HTTP to the
/// real REST server process, which runs on the local cluster; the client is the SDK's stdio client. Files are made and
/// checked over SSH directly, beside the server.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class RemoteModeTests(RestServerProcess server) : IClassFixture<RestServerProcess>, IAsyncLifetime
{
    private const string System = "cluster";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly DirectSshShell _ssh = new();
    private readonly string _dir = $"/home/fireuser/mcp-remote-{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ssh.RunAsync(System, new UserIdentity("fireuser"), new RemoteCommand("rm -rf -- " + ShellQuote.Quote(_dir)), CancellationToken.None);
        _ssh.Dispose();
    }

    [Fact]
    public async Task Remote_mode_with_client_credentials_lists_the_tools_and_sees_a_file_made_over_ssh()
    {
        using var cts = new CancellationTokenSource(Limit);
        var marker = $"made over ssh {Guid.NewGuid():N}";
        await SshAsync("fireuser", $"mkdir -p -- {Q(_dir)} && printf '%s\\n' {Q(marker)} > {Q(_dir + "/hello.txt")}", cts.Token);
        var (id, secret) = server.ClientOf("fireuser");
        await using var mcp = await StdioMcpProcess.StartAsync(
            ["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", secret], cts.Token);

        var tools = await mcp.Client.ListToolsAsync(cancellationToken: cts.Token);
        Assert.Contains(tools, t => t.Name == "list_systems");
        Assert.Contains(tools, t => t.Name == "list_directory");
        Assert.Contains(tools, t => t.Name == "submit_job");

        var systems = await CallOkAsync(mcp, "list_systems", new { }, cts.Token);
        Assert.Equal(System, Json(systems).GetProperty("items")[0].GetProperty("name").GetString());

        var listing = await CallOkAsync(mcp, "list_directory", new { system = System, path = _dir }, cts.Token);
        var names = Json(listing).GetProperty("items").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(new[] { "hello.txt" }, names);

        var read = await CallOkAsync(mcp, "read_file", new { system = System, path = _dir + "/hello.txt" }, cts.Token);
        Assert.Equal(marker + "\n", Json(read).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Remote_mode_acts_as_the_user_of_its_client_and_writes_files_the_cluster_sees()
    {
        using var cts = new CancellationTokenSource(Limit);
        var (id, secret) = server.ClientOf("fireuser2");
        await using var mcp = await StdioMcpProcess.StartAsync(
            ["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", secret], cts.Token);

        var who = await CallOkAsync(mcp, "get_user_info", new { system = System }, cts.Token);
        Assert.Equal("fireuser2", Json(who).GetProperty("user").GetProperty("name").GetString());

        var file = $"/home/fireuser2/mcp-remote-{Guid.NewGuid():N}.txt";
        try
        {
            await CallOkAsync(mcp, "write_file", new { system = System, path = file, content = "written through the server\n" }, cts.Token);
            var onCluster = await SshAsync("fireuser2", "stat -c %U -- " + Q(file) + " && cat -- " + Q(file), cts.Token);
            Assert.Equal("fireuser2\nwritten through the server\n", onCluster);
        }
        finally
        {
            await _ssh.RunAsync(System, new UserIdentity("fireuser2"), new RemoteCommand("rm -f -- " + Q(file)), CancellationToken.None);
        }
    }

    [Fact]
    public async Task Remote_mode_with_a_static_token_lists_a_directory()
    {
        using var cts = new CancellationTokenSource(Limit);
        await SshAsync("fireuser", $"mkdir -p -- {Q(_dir)}/sub && touch -- {Q(_dir + "/a.dat")}", cts.Token);
        await using var mcp = await StdioMcpProcess.StartAsync(["--url", server.BaseUrl.ToString(), "--token", await server.TokenAsync("fireuser")], cts.Token);

        var listing = await CallOkAsync(mcp, "list_directory", new { system = System, path = _dir }, cts.Token);
        var entries = Json(listing).GetProperty("items").EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("type").GetString())).OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(new (string?, string?)[] { ("a.dat", "-"), ("sub", "d") }, entries);
    }

    [Fact]
    public async Task Remote_mode_with_a_bad_token_answers_every_call_with_a_tool_error_and_keeps_running()
    {
        using var cts = new CancellationTokenSource(Limit);
        await using var mcp = await StdioMcpProcess.StartAsync(["--url", server.BaseUrl.ToString(), "--token", "not-a-token"], cts.Token);

        var tools = await mcp.Client.ListToolsAsync(cancellationToken: cts.Token);
        Assert.Contains(tools, t => t.Name == "list_systems");
        foreach (var (tool, args) in new (string, object)[] { ("list_systems", new { }), ("list_directory", new { system = System, path = "/home/fireuser" }) })
        {
            var result = await CallAsync(mcp, tool, args, cts.Token);
            Assert.True(result.IsError == true, $"{tool} did not fail: {Text(result)}");
            Assert.Contains("credentials were refused", Text(result));
        }
        // Still serving after the failures.
        Assert.NotEmpty(await mcp.Client.ListToolsAsync(cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Remote_mode_with_a_wrong_client_secret_answers_with_a_tool_error_naming_the_client()
    {
        using var cts = new CancellationTokenSource(Limit);
        var (id, _) = server.ClientOf("fireuser");
        await using var mcp = await StdioMcpProcess.StartAsync(
            ["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", "wrong-secret"], cts.Token);

        var result = await CallAsync(mcp, "list_systems", new { }, cts.Token);
        Assert.True(result.IsError == true, Text(result));
        Assert.Contains("refused the client credentials", Text(result));
        Assert.Contains(id, Text(result));
        // Still serving after the failures.
        Assert.NotEmpty(await mcp.Client.ListToolsAsync(cancellationToken: cts.Token));
    }

    private static async Task<CallToolResult> CallOkAsync(StdioMcpProcess mcp, string tool, object args, CancellationToken ct)
    {
        var result = await CallAsync(mcp, tool, args, ct);
        Assert.False(result.IsError == true, $"{tool} failed: {Text(result)}\n--- firecrest-mcp stderr ---\n{mcp.Stderr}");
        Assert.NotNull(result.StructuredContent);
        return result;
    }

    private static async Task<CallToolResult> CallAsync(StdioMcpProcess mcp, string tool, object args, CancellationToken ct)
    {
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(args))!;
        return await mcp.Client.CallToolAsync(tool, arguments, cancellationToken: ct);
    }

    private static JsonElement Json(CallToolResult result) => result.StructuredContent ?? throw new InvalidOperationException("no structured content");

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private async Task<string> SshAsync(string user, string commandLine, CancellationToken ct)
    {
        var r = await _ssh.RunAsync(System, new UserIdentity(user), new RemoteCommand(commandLine), ct);
        Assert.True(r.ExitStatus == 0, $"'{commandLine}' as {user} exited {r.ExitStatus}: {r.Stderr}");
        return r.Stdout;
    }

    private static string Q(string s) => ShellQuote.Quote(s);
}
