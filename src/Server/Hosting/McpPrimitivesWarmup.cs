using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Firecrest.Server.Hosting;

/// <summary>
/// Builds the MCP tools, resources and prompts (their JSON schemas and URI-template regexes: about half a second of
/// CPU) <see cref="Delay"/> after the host starts, so that neither the first MCP request nor the first REST requests
/// after a start pay for it: on a two-core node, building them while the first requests arrive delayed the first
/// authenticated 200 by about 120 ms. A failure here is logged; the first MCP request then meets it again.
/// </summary>
internal sealed class McpPrimitivesWarmup(
    IHostApplicationLifetime lifetime, IOptions<McpServerOptions> options, TimeProvider time, ILogger<McpPrimitivesWarmup> logger) : BackgroundService
{
    /// <summary>Time from the host's start to the warm-up.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The timer starts with the host (synchronously, before the first await), so a test clock can move it at once.
        var delay = Task.Delay(Delay, time, stoppingToken);
        return WarmAsync(delay, stoppingToken);
    }

    private async Task WarmAsync(Task delay, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await Task.WhenAll(delay, started.Task.WaitAsync(stoppingToken)).ConfigureAwait(false);
            _ = options.Value;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Building the MCP tools, resources and prompts failed");
        }
    }
}
