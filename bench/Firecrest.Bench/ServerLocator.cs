using System.Net;

namespace Firecrest.Bench;

/// <summary>Finds the server build and waits until its file operations are open (health probed).</summary>
public static class ServerLocator
{
    /// <summary>src/Server/bin/Release/net10.0/Firecrest.Server.dll of the repository that holds this program.</summary>
    public static string Find()
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "Server", "bin", "Release", "net10.0", "Firecrest.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"no server build at {dll}; run: dotnet build src/Server -c Release");
    }

    /// <summary>The folder of FirecrestAutomation.sln above this program or the current directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FirecrestAutomation.sln"))) return dir.FullName;
            }
        }
        throw new FileNotFoundException("FirecrestAutomation.sln not found above the benchmark or the current directory");
    }

    /// <summary>
    /// Waits (at most 90 s) until ops/ls of the home directory answers 200 at <paramref name="baseUrl"/> (the bench's
    /// server when null): the health checker has run.
    /// </summary>
    public static async Task WaitForHealthyOpsAsync(BenchContext ctx, CancellationToken ct, Uri? baseUrl = null)
    {
        var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
        var url = new Uri(baseUrl ?? ctx.RunningServer.BaseUrl, $"filesystem/{BenchContext.System}/ops/ls?path={Uri.EscapeDataString(BenchContext.HomeOf(ctx.User1))}");
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, url);
            req.Headers.Authorization = new("Bearer", token);
            using var resp = await ctx.Http.SendAsync(req, ct);
            if (resp.StatusCode == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"ops/ls still answers {(int)resp.StatusCode} after 90 s: {await resp.Content.ReadAsStringAsync(ct)}");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>
    /// Lists the MCP tools once: the server builds them (about half a second of CPU) on the first MCP request or in the
    /// background a few seconds after it starts, and that one-off work must not fall inside a measurement.
    /// </summary>
    public static async Task BuildMcpToolsAsync(BenchContext ctx, CancellationToken ct)
    {
        var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(ctx.RunningServer.BaseUrl, "mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", token);
        req.Headers.Accept.ParseAdd("application/json");
        req.Headers.Accept.ParseAdd("text/event-stream");
        using var resp = await ctx.Http.SendAsync(req, ct);
        var body = await resp.Content.ReadAsStringAsync(ct);
        if (resp.StatusCode != HttpStatusCode.OK || !body.Contains("\"tools\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"MCP tools/list answered {(int)resp.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
    }
}
