using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Contract;

// Logging is deprecated from protocol 2026-07-28 on, but the hosts of today (2025-11-25 and before) use it.
#pragma warning disable MCP9005

/// <summary>
/// Log notifications (<c>notifications/message</c>) about each tool call, sent only when the client asked for them with
/// <c>logging/setLevel</c> and only at that level or above: debug when a call starts, info when it succeeds, warning
/// when it answers with an error. Over stateless HTTP the level a user set in one request applies to that user's
/// later calls (each POST has its own server, which forgets it).
/// </summary>
public sealed class ClientLog
{
    /// <summary>The <c>logger</c> name of the notifications.</summary>
    public const string LoggerName = "firecrest";

    private readonly ConcurrentDictionary<string, LoggingLevel> _levels = new(StringComparer.Ordinal);

    /// <summary>Adds the call filter to <paramref name="filters"/> (outside the ones added after it).</summary>
    public void AddTo(Microsoft.Extensions.DependencyInjection.IMcpRequestFilterBuilder filters) =>
        Microsoft.Extensions.DependencyInjection.McpRequestFilterBuilderExtensions.AddCallToolFilter(filters, CallFilter);

    /// <summary>Handles <c>logging/setLevel</c>: remembers the level for the user (the SDK keeps it for the session too).</summary>
    public Microsoft.Extensions.DependencyInjection.IMcpServerBuilder HandleSetLevel(Microsoft.Extensions.DependencyInjection.IMcpServerBuilder builder) =>
        Microsoft.Extensions.DependencyInjection.McpServerBuilderExtensions.WithSetLoggingLevelHandler(builder, (context, _) =>
        {
            if (context.Params is { } p) _levels[UserOf(context)] = p.Level;
            return ValueTask.FromResult(new EmptyResult());
        });

    /// <summary>Sends the notifications around each call.</summary>
    public McpRequestHandler<CallToolRequestParams, CallToolResult> CallFilter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            // Protocol 2026-07-28 carries the level on each request; older ones set it once with logging/setLevel.
            var level = context.JsonRpcRequest.Context?.LogLevel ?? context.Server.LoggingLevel
                ?? (_levels.TryGetValue(UserOf(context), out var l) ? l : null);
            if (level is null) return await next(context, cancellationToken);
            var tool = context.Params?.Name ?? "?";
            await SendAsync(context, level.Value, LoggingLevel.Debug, $"{tool} called with {JsonSerializer.Serialize(context.Params?.Arguments, ToolJsonContext.Default.IDictionaryStringJsonElement)}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            CallToolResult result;
            try
            {
                result = await next(context, cancellationToken);
            }
            catch (ModelContextProtocol.McpException e)
            {
                await SendAsync(context, level.Value, LoggingLevel.Warning, $"{tool} refused after {clock.ElapsedMilliseconds} ms: {e.Message}");
                throw;
            }
            if (result.IsError == true)
                await SendAsync(context, level.Value, LoggingLevel.Warning,
                    $"{tool} answered an error after {clock.ElapsedMilliseconds} ms: {result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text}");
            else
                await SendAsync(context, level.Value, LoggingLevel.Info, $"{tool} succeeded in {clock.ElapsedMilliseconds} ms");
            return result;
        };

    private static async Task SendAsync(RequestContext<CallToolRequestParams> context, LoggingLevel wanted, LoggingLevel level, string message)
    {
        if (level < wanted) return;
        try
        {
            // context.Server is bound to the call: over stateless HTTP the notification goes on the POST's response stream.
            await context.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
            {
                Level = level, Logger = LoggerName, Data = JsonSerializer.SerializeToElement(message, ToolJsonContext.Default.String),
            }, cancellationToken: CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A lost log line must not fail the call.
        }
    }

    private static string UserOf<T>(RequestContext<T> context) => context.User?.Identity?.Name ?? "";
}
#pragma warning restore MCP9005
