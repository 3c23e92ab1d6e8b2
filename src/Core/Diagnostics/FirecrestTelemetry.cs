using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Firecrest.Core.Diagnostics;

/// <summary>
/// The engine's traces and metrics, on <c>System.Diagnostics</c> only: a host exports them by subscribing to
/// <see cref="SourceName"/> and <see cref="MeterName"/> (the server does so with OpenTelemetry). Span attributes name
/// the system, the user and what ran (an SSH command's program name, a scheduler operation, an S3 operation), never
/// command arguments, paths, scripts, tokens or URLs with signatures.
/// </summary>
public static class FirecrestTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> of SSH, scheduler, slurmrestd, S3 and transfer spans.</summary>
    public const string SourceName = "Firecrest.Core";

    /// <summary>Name of the <see cref="Meter"/> of the SSH pool, health and transfer instruments.</summary>
    public const string MeterName = "Firecrest.Core";

    /// <summary>Span attribute: the system (cluster) name.</summary>
    public const string SystemTag = "firecrest.system";

    /// <summary>Span attribute: the user the operation runs as (OpenTelemetry's <c>enduser.id</c>).</summary>
    public const string UserTag = "enduser.id";

    internal static readonly ActivitySource Source = new(SourceName, typeof(FirecrestTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(MeterName, typeof(FirecrestTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a client span tagged with the system, the user and, inside a server request, its request and correlation
    /// ids; null when nobody listens.
    /// </summary>
    internal static Activity? StartClientSpan(string name, string system, string? user)
    {
        var activity = Source.StartActivity(name, ActivityKind.Client);
        if (activity is null) return null;
        activity.SetTag(SystemTag, system);
        if (!string.IsNullOrEmpty(user)) activity.SetTag(UserTag, user);
        foreach (var (header, value) in Ssh.Credentials.RequestIds.Headers)
            activity.SetTag(header == Ssh.Credentials.RequestIds.RequestIdHeader ? "firecrest.request_id" : "firecrest.correlation_id", value);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with the exception's type (its message may carry paths).</summary>
    internal static void Fail(this Activity? activity, Exception e)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, e is HpcException h ? h.Kind.ToString() : e.GetType().Name);
        activity.SetTag("error.type", e is HpcException hpc ? hpc.Kind.ToString() : e.GetType().FullName);
    }
}
