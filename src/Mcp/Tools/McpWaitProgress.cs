using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Operations;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>
/// Turns the polls of a <see cref="JobWaiter"/> into MCP progress notifications (one per poll keeps the client's call
/// alive). Notifications go out in order; a tool awaits <see cref="FlushAsync"/> before it answers, because a client
/// drops progress that arrives after the answer (the protocol forbids it).
/// </summary>
internal sealed class McpWaitProgress(RequestContext<CallToolRequestParams> context, string what) : IProgress<JobWaitProgress>
{
    private readonly object _gate = new();
    private Task _sent = Task.CompletedTask;

    /// <summary>
    /// Waits for job <paramref name="jobId"/> through the engine's <see cref="JobWaiter"/> on <paramref name="poll"/>'s
    /// schedule for at most <paramref name="timeout"/>, telling the client each poll as progress of
    /// <paramref name="what"/>; every notification has gone out when this returns.
    /// </summary>
    public static async Task<JobWaitResult> WaitAsync(IHpcOperations operations, TimeProvider time, RequestContext<CallToolRequestParams> context,
        string what, string system, string jobId, Backoff poll, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var progress = new McpWaitProgress(context, what);
        try
        {
            return await new JobWaiter(operations, time).WaitAsync(system, jobId,
                new JobWaitOptions { Poll = poll, Timeout = timeout, Progress = progress }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await progress.FlushAsync().ConfigureAwait(false);
        }
    }

    public void Report(JobWaitProgress value)
    {
        if (context.Params?.ProgressToken is not { } token) return;
        var state = value.Job?.State.ToString().ToLowerInvariant() ?? "submitted";
        var note = new ProgressNotificationValue { Progress = value.Poll, Message = $"{what} {value.JobId}: {state} after {value.Elapsed.TotalSeconds:0}s" };
        lock (_gate) _sent = SendAfterAsync(_sent, token, note);
    }

    /// <summary>Completes when every notification reported so far has been sent (or failed to send).</summary>
    public Task FlushAsync()
    {
        lock (_gate) return _sent;
    }

    private async Task SendAfterAsync(Task previous, ProgressToken token, ProgressNotificationValue note)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await context.Server.NotifyProgressAsync(token, note, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A lost notification must not fail the tool: the answer still carries the final state.
        }
    }
}
