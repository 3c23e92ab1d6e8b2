using Firecrest.Mcp.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests;

/// <summary>
/// Mistakes of the user against the real cluster, in direct and remote mode: the answer says what to change (with the
/// scheduler's whole message, not its last line) and does not invite a blind retry.
/// </summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
[Trait("Server", "Process")]
public sealed class UserErrorTests(RestServerProcess server) : IClassFixture<RestServerProcess>
{
    private Task<StdioMcpProcess> StartAsync(string mode, CancellationToken cancellationToken)
    {
        if (mode == "direct") return StdioMcpProcess.StartAsync(["--config", server.Cluster.ConfigPath, "--user", "fireuser"], cancellationToken);
        var (id, secret) = server.ClientOf("fireuser");
        return StdioMcpProcess.StartAsync(["--url", server.BaseUrl.ToString(), "--token-url", server.Cluster["OIDC_TOKEN_URL"], "--client-id", id, "--client-secret", secret], cancellationToken);
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("remote")]
    public async Task A_script_without_a_shebang_gets_sbatch_s_whole_message_and_no_retry_advice(string mode)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var mcp = await StartAsync(mode, cts.Token);
        var result = await mcp.Client.CallToolAsync("submit_job", new Dictionary<string, object?>
        {
            ["system"] = "cluster", ["script"] = "echo no interpreter line\n", ["working_directory"] = "/home/fireuser",
        }, cancellationToken: cts.Token);
        Assert.True(result.IsError);
        var text = result.Content.OfType<TextContentBlock>().First().Text;
        // sbatch spreads this over three lines; all of them reach the model.
        Assert.Contains("does not look like a batch script", text);
        Assert.Contains("#!", text);
        Assert.DoesNotContain("try again", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("remote")]
    public async Task Reading_a_directory_says_it_is_a_directory_and_no_retry_advice(string mode)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var mcp = await StartAsync(mode, cts.Token);
        var result = await mcp.Client.CallToolAsync("read_file", new Dictionary<string, object?> { ["system"] = "cluster", ["path"] = "/home/fireuser" }, cancellationToken: cts.Token);
        Assert.True(result.IsError);
        var text = result.Content.OfType<TextContentBlock>().First().Text;
        Assert.Contains("Is a directory", text);
        Assert.DoesNotContain("try again", text, StringComparison.OrdinalIgnoreCase);
    }
}
