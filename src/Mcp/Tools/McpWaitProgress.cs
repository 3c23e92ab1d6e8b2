using Firecrest.Core.Jobs;
using ModelContextProtocol;

namespace Firecrest.Mcp.Tools;

/// <summary>Turns the polls of a <see cref="JobWaiter"/> into MCP progress notifications (one per poll keeps the client's call alive).</summary>
internal sealed class McpWaitProgress(IProgress<ProgressNotificationValue> progress, string what) : IProgress<JobWaitProgress>
{
    public void Report(JobWaitProgress value)
    {
        var state = value.Job?.State.ToString().ToLowerInvariant() ?? "submitted";
        progress.Report(new ProgressNotificationValue { Progress = value.Poll, Message = $"{what} {value.JobId}: {state} after {value.Elapsed.TotalSeconds:0}s" });
    }
}
