using System.Diagnostics;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Diagnostics;

/// <summary>Spans of scheduler adapters: one per scheduler call, named after the adapter's operation.</summary>
internal static class SchedulerTelemetry
{
    /// <summary>
    /// <c>&lt;scheduler&gt; &lt;operation&gt;</c> (e.g. <c>slurm GetJobs</c>); the SSH or slurmrestd span of the call is its child.
    /// <paramref name="operation"/> is the adapter method's name (its <c>Async</c> suffix dropped).
    /// </summary>
    public static Activity? Start(string scheduler, string operation, string system, string user)
    {
        if (operation.EndsWith("Async", StringComparison.Ordinal)) operation = operation[..^5];
        var activity = FirecrestTelemetry.StartClientSpan($"{scheduler} {operation}", system, user);
        activity?.SetTag("firecrest.scheduler", scheduler);
        activity?.SetTag("firecrest.scheduler.operation", operation);
        return activity;
    }

    /// <summary>Runs <paramref name="command"/> through <paramref name="shell"/> under the span of <see cref="Start"/>; a failure marks it.</summary>
    public static async Task<RemoteCommandResult> RunAsync(IRemoteShell shell, string scheduler, string operation, string system,
        UserIdentity user, RemoteCommand command, CancellationToken ct)
    {
        using var span = Start(scheduler, operation, system, user.Username);
        try
        {
            return await shell.RunAsync(system, user, command, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FirecrestTelemetry.Fail(span, e);
            throw;
        }
    }

    /// <summary>
    /// The span of one slurmrestd request, tagged with the method and the route template (the path with its
    /// version and job id left as placeholders), never the user's token.
    /// </summary>
    public static Activity? StartSlurmRest(string method, string pathTemplate, string system, string user)
    {
        var activity = FirecrestTelemetry.StartClientSpan("slurmrestd " + method, system, user);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("url.template", pathTemplate);
        return activity;
    }
}
