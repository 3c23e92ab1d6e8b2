using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;

namespace Firecrest.Server.Hosting.Readiness;

/// <summary>
/// The health checker has finished at least one run for at least one configured system, so requests are gated on
/// real results rather than on the optimistic "not probed yet". Unhealthy results still count as checked: an
/// unhealthy cluster gives 503 per request, and taking the replica out of service would not make it healthier.
/// </summary>
public sealed class HealthCheckedCondition(FirecrestSettings settings, IHpcEngine engine) : IReadinessCondition
{
    /// <inheritdoc/>
    public string Name => "health_checked";

    /// <inheritdoc/>
    public ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var runs = engine.Health.LastRuns;
        var checkedSystems = settings.Clusters.Select(c => c.Name).Where(runs.ContainsKey).ToList();
        return ValueTask.FromResult(checkedSystems.Count == 0
            ? new ReadinessCheck(Name, false, "the health checker has not finished a run for any system yet")
            : new ReadinessCheck(Name, true, $"checked: {string.Join(", ", checkedSystems.Select(s => $"{s} at {runs[s]:O}"))}"));
    }
}
