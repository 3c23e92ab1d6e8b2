using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Host features on HTTP <c>/mcp</c> of the real server, where every POST has its own (stateless) server: the log level
/// set in one request holds for the user's later calls; completion; instructions.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class HttpHostFeatureTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
#pragma warning disable MCP9005 // logging is deprecated from protocol 2026-07-28 on; today's hosts use it
    [Fact]
    public async Task The_log_level_set_in_one_request_holds_for_later_calls()
    {
        await using var client = await server.McpClientAsync(protocolVersion: "2025-11-25");
        var messages = new List<string>();
        await using var registration = client.RegisterNotificationHandler(NotificationMethods.LoggingMessageNotification, (n, _) =>
        {
            var p = JsonSerializer.Deserialize<LoggingMessageNotificationParams>(n.Params!.ToJsonString())!;
            lock (messages) messages.Add($"{p.Level}: {p.Data.GetString()}");
            return ValueTask.CompletedTask;
        });
        await client.SetLoggingLevelAsync(LoggingLevel.Info);
        await client.CallToolAsync("list_systems", new Dictionary<string, object?>());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Snapshot().Count == 0) await Task.Delay(20, cts.Token);
        Assert.Contains(Snapshot(), m => m.StartsWith("Info: list_systems succeeded", StringComparison.Ordinal));
        Assert.DoesNotContain(Snapshot(), m => m.StartsWith("Debug", StringComparison.Ordinal));

        List<string> Snapshot() { lock (messages) return messages.ToList(); }
    }
#pragma warning restore MCP9005

    [Fact]
    public async Task Completion_and_instructions_work_over_http()
    {
        await using var client = await server.McpClientAsync();
        Assert.Contains("list_systems", client.ServerInstructions);
        var systems = await client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "submit_and_monitor_job" }, Argument = new Argument { Name = "system", Value = "cl" },
        });
        Assert.Equal(["cluster"], systems.Completion.Values);
        var accounts = await client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "submit_and_monitor_job" }, Argument = new Argument { Name = "account", Value = "" },
            Context = new CompleteContext { Arguments = new Dictionary<string, string> { ["system"] = "cluster" } },
        });
        Assert.Contains(server.Cluster["SLURM_ACCOUNT"], accounts.Completion.Values);
        var paths = await client.CompleteAsync(new CompleteRequestParams
        {
            Ref = new PromptReference { Name = "explore_path" }, Argument = new Argument { Name = "path", Value = "/ho" },
            Context = new CompleteContext { Arguments = new Dictionary<string, string> { ["system"] = "cluster" } },
        });
        Assert.Equal(["/home/"], paths.Completion.Values);
    }
}
