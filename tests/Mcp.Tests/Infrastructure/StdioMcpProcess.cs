using ModelContextProtocol.Client;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>
/// The stdio MCP server (<c>dotnet Firecrest.Mcp.dll</c> with the given arguments) as a child process, connected with
/// the SDK's <see cref="StdioClientTransport"/>; keeps the lines it writes to stderr.
/// </summary>
public sealed class StdioMcpProcess : IAsyncDisposable
{
    private readonly List<string> _stderr;

    private StdioMcpProcess(McpClient client, List<string> stderr)
    {
        Client = client;
        _stderr = stderr;
    }

    /// <summary>The connected client.</summary>
    public McpClient Client { get; }

    /// <summary>What the server wrote to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    /// <summary>Starts <c>firecrest-mcp</c> with <paramref name="arguments"/> and connects to it.</summary>
    public static async Task<StdioMcpProcess> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var stderr = new List<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "firecrest-mcp",
            Command = "dotnet",
            Arguments = [McpServerBinary.Path, .. arguments],
            StandardErrorLines = line => { lock (stderr) stderr.Add(line); },
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        return new StdioMcpProcess(client, stderr);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
