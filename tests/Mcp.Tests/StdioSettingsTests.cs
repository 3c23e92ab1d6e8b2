using Firecrest.Mcp.Hosting;

namespace Firecrest.Mcp.Tests;

public sealed class StdioSettingsTests
{
    private static Func<string, string?> Env(params (string, string)[] vars) => name => vars.FirstOrDefault(v => v.Item1 == name).Item2;

    [Fact]
    public void Direct_mode_from_arguments_with_safety_options()
    {
        var s = StdioSettings.Parse(["--config", "/etc/f.yaml", "--user=u1", "--read-only", "--allowed-systems", "a, b", "--allowed-paths", "/scratch", "--max-output-bytes", "100"], Env());
        Assert.True(s.Direct);
        Assert.Equal("u1", s.User);
        Assert.True(s.Tools.ReadOnly);
        Assert.False(s.Tools.AllowCommands);
        Assert.True(s.Tools.LocalFiles);
        Assert.Equal(["a", "b"], s.Tools.AllowedSystems);
        Assert.Equal(["/scratch"], s.Tools.AllowedPathPrefixes);
        Assert.Equal(100, s.Tools.MaxOutputBytes);
    }

    [Fact]
    public void Remote_mode_from_environment_and_arguments_win()
    {
        var s = StdioSettings.Parse(["--client-id", "fromarg"], Env(("FIRECREST_URL", "http://127.0.0.1:9/"), ("FIRECREST_TOKEN_URL", "http://127.0.0.1:8/token"),
            ("FIRECREST_CLIENT_ID", "fromenv"), ("FIRECREST_CLIENT_SECRET", "s"), ("FIRECREST_MCP_ALLOW_COMMANDS", "true")));
        Assert.False(s.Direct);
        Assert.Equal("fromarg", s.ClientId);
        Assert.True(s.Tools.AllowCommands);
    }

    [Theory]
    [InlineData("--config", "/f.yaml")]
    [InlineData("--url", "http://127.0.0.1:9/")]
    [InlineData("--config", "/f.yaml", "--user", "u", "--url", "http://127.0.0.1:9/", "--token", "t")]
    [InlineData("--bogus", "x")]
    [InlineData("--config", "/f.yaml", "--user", "u", "--allowed-paths", "relative")]
    [InlineData("--config", "/f.yaml", "--user", "u", "--max-output-bytes", "-5")]
    [InlineData("--config")]
    public void Incomplete_or_wrong_arguments_are_refused(params string[] args) =>
        Assert.Throws<ArgumentException>(() => StdioSettings.Parse(args, Env()));
}
