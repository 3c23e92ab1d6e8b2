using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// Honours <c>notifications/cancelled</c> for tool calls on every transport. Over stateless HTTP each POST gets its
/// own server, so the SDK cannot match a cancellation (its own POST) to the call it names: the calls in flight are kept
/// here by (user, request id), and a cancellation from the same user cancels the call's token, which the tool hands to
/// the engine. Cancelling a call ends the call only: a job it waits for keeps running. Several replicas: a cancellation
/// for a call this process does not run goes to <see cref="Relay"/>, which hands it to the others.
/// </summary>
public sealed class CallCancellation
{
    private readonly ConcurrentDictionary<(string User, string Id), CancellationTokenSource> _calls = new();

    /// <summary>
    /// Where a cancellation for a call not running here is sent (user, request id), e.g. to the other replicas of the
    /// server, which call <see cref="Cancel"/>; null for one process. It must not throw.
    /// </summary>
    public Func<string, string, Task>? Relay { get; set; }

    /// <summary>Calls in flight (for tests and diagnostics).</summary>
    public int InFlight => _calls.Count;

    /// <summary>A call filter that runs the call with a token <see cref="Cancel"/> can cancel.</summary>
    public McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var key = (UserOf(context.User), context.JsonRpcRequest.Id.ToString());
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // A client reusing an id while its earlier call runs: the later call is the one it can cancel.
            _calls[key] = linked;
            try
            {
                return await next(context, linked.Token);
            }
            finally
            {
                _calls.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>(key, linked));
            }
        };

    /// <summary>An incoming-message filter that cancels the call a <c>notifications/cancelled</c> names (same user only).</summary>
    public McpMessageHandler MessageFilter(McpMessageHandler next) =>
        async (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcNotification { Method: NotificationMethods.CancelledNotification } notification
                && RequestIdOf(notification.Params) is { } id
                && !Cancel(UserOf(context.User), id)
                && Relay is { } relay)
                await relay(UserOf(context.User), id);
            await next(context, cancellationToken);
        };

    /// <summary>Cancels the call <paramref name="requestId"/> of <paramref name="user"/>; false when there is none.</summary>
    public bool Cancel(string user, string requestId)
    {
        if (!_calls.TryGetValue((user, requestId), out var call)) return false;
        try { call.Cancel(); }
        catch (ObjectDisposedException) { return false; } // the call ended meanwhile
        return true;
    }

    private static string UserOf(System.Security.Claims.ClaimsPrincipal? user) => user?.Identity?.Name ?? "";

    /// <summary>The <c>requestId</c> of a cancellation as <see cref="RequestId.ToString"/> writes it (string or number).</summary>
    private static string? RequestIdOf(JsonNode? parameters)
    {
        if (parameters?["requestId"] is not { } id) return null;
        return id.GetValueKind() switch
        {
            JsonValueKind.String => new RequestId(id.GetValue<string>()).ToString(),
            JsonValueKind.Number => new RequestId(id.GetValue<long>()).ToString(),
            _ => null,
        };
    }
}
