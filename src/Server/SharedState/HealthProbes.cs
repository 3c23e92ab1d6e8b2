namespace Firecrest.Server.SharedState;

/// <summary>The probe routes a load balancer or orchestrator calls; they must answer while Redis is down.</summary>
internal static class HealthProbes
{
    /// <summary>True for <c>/status/liveness</c> and <c>/status/readiness</c> (with or without the trailing slash).</summary>
    public static bool Is(PathString path) =>
        path.StartsWithSegments("/status/liveness", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/status/readiness", StringComparison.OrdinalIgnoreCase);
}
