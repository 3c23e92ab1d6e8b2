using System.IO.Pipelines;
using System.Text.Json;
using Firecrest.Core.Operations;
using Firecrest.Mcp.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>A real MCP client and server connected by in-memory pipes, with the FirecREST tools over <see cref="IHpcOperations"/>.</summary>
public sealed class InMemoryMcp : IAsyncDisposable
{
    private readonly IHost _host;

    private InMemoryMcp(IHost host, McpClient client)
    {
        _host = host;
        Client = client;
    }

    /// <summary>The connected client.</summary>
    public McpClient Client { get; }

    /// <summary>
    /// Starts a server with <paramref name="options"/> over <paramref name="operations"/> and connects a client (with
    /// <paramref name="clientOptions"/>, e.g. an older protocol version); the tools' waits run on <paramref name="time"/>
    /// (default: the system clock).
    /// </summary>
    public static async Task<InMemoryMcp> StartAsync(IHpcOperations operations, McpToolOptions? options = null, TimeProvider? time = null, McpClientOptions? clientOptions = null)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var logs = new List<string>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ListLoggerProvider(logs));
        builder.Services.AddSingleton<IHpcOperationsAccessor>(new FixedOperationsAccessor(operations));
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
            .WithFirecrest(options ?? new McpToolOptions { LocalFiles = true });
        var host = builder.Build();
        await host.StartAsync();
        var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), clientOptions);
        return new InMemoryMcp(host, client) { _logs = logs };
    }

    private List<string> _logs = [];

    /// <summary>The server's log lines so far.</summary>
    public IReadOnlyList<string> ServerLogs { get { lock (_logs) return _logs.ToList(); } }

    /// <summary>Calls a tool.</summary>
    public Task<CallToolResult> CallAsync(string tool, object? arguments = null, IProgress<ModelContextProtocol.ProgressNotificationValue>? progress = null, CancellationToken cancellationToken = default)
    {
        var args = arguments is null ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return Client.CallToolAsync(tool, args, progress, cancellationToken: cancellationToken).AsTask();
    }

    /// <summary>The text of the first content block.</summary>
    public static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().First().Text;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);
        public void Dispose() { }

        private sealed class ListLogger(List<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines) lines.Add($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
