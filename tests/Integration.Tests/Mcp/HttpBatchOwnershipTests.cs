using Firecrest.Integration.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Mcp;

/// <summary>Batch runs over HTTP /mcp belong to the token's user.</summary>
[Trait("Category", "Cluster")]
public sealed class HttpBatchOwnershipTests(LiveServer server) : IClassFixture<LiveServer>
{
    private Task<McpClient> ConnectAsync(string user) => server.McpClientForAsync(user);

    private static string Text(CallToolResult r) => string.Join("\n", r.Content.OfType<TextContentBlock>().Select(t => t.Text));

    [Fact]
    public async Task Another_user_cannot_read_a_run_and_gets_the_same_answer_as_for_a_wrong_id()
    {
        await using var owner = await ConnectAsync("fireuser");
        await using var other = await ConnectAsync("fireuser2");
        var yaml = $"system: {server.System}\ndefaults: {{workingDirectory: /scratch/fireuser/mcp-batch-owner}}\njobs:\n  a:\n    script: \"#!/bin/bash\\necho owned\\n\"\n";
        var started = await owner.CallToolAsync("run_batch", new Dictionary<string, object?> { ["yaml"] = yaml });
        Assert.True(started.IsError != true, Text(started));
        var runId = started.StructuredContent!.Value.GetProperty("runId").GetString()!;

        var mine = await owner.CallToolAsync("get_batch_status", new Dictionary<string, object?> { ["run_id"] = runId });
        Assert.True(mine.IsError != true, Text(mine));
        Assert.Equal(runId, mine.StructuredContent!.Value.GetProperty("runId").GetString());

        var theirs = await other.CallToolAsync("get_batch_status", new Dictionary<string, object?> { ["run_id"] = runId });
        Assert.True(theirs.IsError);
        var wrong = await owner.CallToolAsync("get_batch_status", new Dictionary<string, object?> { ["run_id"] = "0123456789ab" });
        Assert.True(wrong.IsError);
        Assert.Equal(Text(wrong).Replace("0123456789ab", "ID"), Text(theirs).Replace(runId, "ID"));
        Assert.DoesNotContain("owned", Text(theirs));
    }
}
