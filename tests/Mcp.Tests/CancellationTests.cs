using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// <c>notifications/cancelled</c> ends a long <c>wait_for_job</c> on HTTP <c>/mcp</c> (where the cancellation arrives
/// as its own POST while the call's stream stays open) and on stdio; the job waited for keeps running.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class CancellationTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private const string System = "cluster";

    [Fact]
    public async Task Http_cancel_notification_stops_a_wait_and_leaves_the_job_running()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var token = await server.TokenAsync();
        await using var client = await server.McpClientAsync(token, cancellationToken: cts.Token);
        var job = await SubmitSleeperAsync(client, cts.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
            var requestId = $"wait-{Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            using var call = Post(token, new
            {
                jsonrpc = "2.0", id = requestId, method = "tools/call",
                @params = new { name = "wait_for_job", arguments = new { system = System, job_id = job, timeout_seconds = 600 } },
            });
            using var response = await http.SendAsync(call, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = response.Content.ReadAsStringAsync(cts.Token);
            await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
            Assert.False(body.IsCompleted, "the wait ended before it was cancelled");

            using var cancel = Post(token, new { jsonrpc = "2.0", method = "notifications/cancelled", @params = new { requestId, reason = "test" } });
            using var accepted = await http.SendAsync(cancel, cts.Token);
            Assert.True(accepted.IsSuccessStatusCode, $"cancel answered {(int)accepted.StatusCode}");

            // The wait's stream ends soon after, long before its 600 s.
            var finished = await Task.WhenAny(body, Task.Delay(TimeSpan.FromSeconds(20), cts.Token));
            Assert.True(finished == body, "the wait went on after notifications/cancelled");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
            await WaitForLogAsync(() => server.Tail(), "MCP tool wait_for_job user fireuser cancelled", cts.Token);

            await AssertStillQueuedAsync(client, job, cts.Token);
        }
        finally
        {
            await client.CallToolAsync("cancel_job", new Dictionary<string, object?> { ["system"] = System, ["job_id"] = job }, cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public async Task Stdio_cancel_notification_stops_a_wait_and_leaves_the_job_running()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var mcp = await StdioMcpProcess.StartAsync(["--config", server.Cluster.ConfigPath, "--user", "fireuser"], cts.Token);
        var job = await SubmitSleeperAsync(mcp.Client, cts.Token);
        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            cancel.CancelAfter(TimeSpan.FromSeconds(3));
            var clock = Stopwatch.StartNew();
            // The SDK client sends notifications/cancelled when the token fires.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mcp.Client.CallToolAsync("wait_for_job",
                new Dictionary<string, object?> { ["system"] = System, ["job_id"] = job, ["timeout_seconds"] = 600 }, cancellationToken: cancel.Token).AsTask());
            await WaitForLogAsync(() => mcp.Stderr, "MCP tool wait_for_job user - cancelled", cts.Token);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
            await AssertStillQueuedAsync(mcp.Client, job, cts.Token);
        }
        finally
        {
            await mcp.Client.CallToolAsync("cancel_job", new Dictionary<string, object?> { ["system"] = System, ["job_id"] = job }, cancellationToken: CancellationToken.None);
        }
    }

    private static async Task<string> SubmitSleeperAsync(McpClient client, CancellationToken cancellationToken)
    {
        var submitted = await client.CallToolAsync("submit_job", new Dictionary<string, object?>
        {
            ["system"] = System, ["script"] = "#!/bin/bash\nsleep 600\n", ["working_directory"] = "/home/fireuser", ["name"] = "mcp-cancel-test",
        }, cancellationToken: cancellationToken);
        Assert.True(submitted.IsError != true, submitted.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        return submitted.StructuredContent!.Value.GetProperty("jobId").GetString()!;
    }

    private static async Task AssertStillQueuedAsync(McpClient client, string job, CancellationToken cancellationToken)
    {
        var state = await client.CallToolAsync("get_job", new Dictionary<string, object?> { ["system"] = System, ["job_id"] = job }, cancellationToken: cancellationToken);
        Assert.True(state.IsError != true, state.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        Assert.Contains(state.StructuredContent!.Value.GetProperty("job").GetProperty("state").GetString(), new[] { "pending", "running" });
    }

    private static HttpRequestMessage Post(string token, object message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "mcp")
        {
            Content = new StringContent(JsonSerializer.Serialize(message), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static async Task WaitForLogAsync(Func<string> log, string line, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!log().Contains(line, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, $"no log line '{line}' in:\n{log()}");
            await Task.Delay(200, cancellationToken);
        }
    }
}
