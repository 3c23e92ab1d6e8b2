using System.Net;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Engine;
using Firecrest.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// Removing the home directory or a file-system mount point is refused by the engine for every face (REST ops and
/// transfer rm, the engine called directly, the MCP tool), and the directory is still there afterwards.
/// </summary>
public sealed class RootRemovalRefusedTests(LiveServer server) : IClassFixture<LiveServer>
{
    public static TheoryData<string> Roots => new() { "/home/fireuser", "/home/fireuser/", "/home", "/scratch" };

    [Theory]
    [MemberData(nameof(Roots))]
    public async Task Rest_ops_and_transfer_rm_answer_400_naming_the_path(string root)
    {
        using var http = await server.ClientForAsync("fireuser");
        foreach (var route in new[] { "ops/rm", "transfer/rm" })
        {
            using var response = await http.DeleteAsync($"/filesystem/{server.System}/{route}?path={Uri.EscapeDataString(root)}&account={server.Cluster["SLURM_ACCOUNT"]}");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{route}: {(int)response.StatusCode} {body}");
            Assert.Contains($"Refusing to remove '{root}'", body.GetProperty("message").GetString());
        }
        await AssertHomeIsThereAsync(http);
    }

    [Fact]
    public async Task The_engine_refuses_directly()
    {
        var engine = server.Services.GetRequiredService<IHpcEngine>();
        var files = engine.ForUser(new UserIdentity("fireuser")).Files;
        foreach (var root in Roots)
        {
            var e = await Assert.ThrowsAsync<HpcException>(() => files.RemoveAsync(server.System, RemotePath.Parse(root)));
            Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
            Assert.Contains($"Refusing to remove '{root}'", e.Message);
        }
        using var http = await server.ClientForAsync("fireuser");
        await AssertHomeIsThereAsync(http);
    }

    [Fact]
    public async Task The_mcp_remove_tool_reports_the_refusal()
    {
        await using var client = await server.McpClientForAsync("fireuser");
        foreach (var root in new[] { "/home/fireuser", "/home" })
        {
            var r = await client.CallToolAsync("remove_path", new Dictionary<string, object?> { ["system"] = server.System, ["path"] = root });
            Assert.True(r.IsError == true, $"remove_path {root} did not fail");
            Assert.Contains($"Refusing to remove '{root}'", r.Content.OfType<TextContentBlock>().First().Text);
        }
        using var check = await server.ClientForAsync("fireuser");
        await AssertHomeIsThereAsync(check);
    }

    private async Task AssertHomeIsThereAsync(HttpClient http)
    {
        using var stat = await http.GetAsync($"/filesystem/{server.System}/ops/stat?path=/home/fireuser");
        Assert.Equal(HttpStatusCode.OK, stat.StatusCode);
    }
}
