using Firecrest.Core;
using Firecrest.Mcp;
using Firecrest.Mcp.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

StdioSettings settings;
try
{
    settings = StdioSettings.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"firecrest-mcp: {e.Message}\n\n{StdioSettings.Usage}");
    return 2;
}

// Host arguments are ours, not configuration keys: the builder gets none.
var builder = Host.CreateApplicationBuilder([]);
// stdout carries JSON-RPC: every log line goes to stderr.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

await using var operations = CreateOperations(settings);
if (operations is null) return 3;
builder.Services.AddSingleton<IHpcOperationsAccessor>(new FixedOperationsAccessor(operations.Operations));
settings.Tools.EngineFeatures = operations.Operations is Firecrest.Core.Operations.ISchedulerOperations;
builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "firecrest-mcp", Version = typeof(StdioSettings).Assembly.GetName().Version?.ToString() ?? "0" })
    .WithStdioServerTransport()
    .WithFirecrest(settings.Tools);
await builder.Build().RunAsync();
return 0;

static StdioOperations? CreateOperations(StdioSettings settings)
{
    // Lives as long as the process: the engine keeps the loggers it creates here.
    var loggers = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    try
    {
        return StdioOperations.Create(settings, loggers);
    }
    catch (Exception e) when (e is HpcException or IOException or InvalidOperationException or ArgumentException)
    {
        Console.Error.WriteLine($"firecrest-mcp: {e.Message}");
        return null;
    }
}
