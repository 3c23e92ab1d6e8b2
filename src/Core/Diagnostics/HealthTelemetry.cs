using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Firecrest.Core.Health;
using Firecrest.Core.Json;

namespace Firecrest.Core.Diagnostics;

/// <summary>
/// <c>firecrest.health.status</c>: 1 for a healthy service, 0 for an unhealthy one, per system, service and (for file
/// systems) path, from the latest run of each live health checker; a system not checked yet has no series.
/// </summary>
internal static class HealthTelemetry
{
    private static readonly ConcurrentDictionary<HealthChecker, byte> LiveCheckers = new();

    static HealthTelemetry()
    {
        FirecrestTelemetry.Meter.CreateObservableGauge("firecrest.health.status", Measure, null,
            "Health of each service of each system from the last health-checker run: 1 healthy, 0 unhealthy.");
    }

    public static void Register(HealthChecker checker) => LiveCheckers[checker] = 0;

    public static void Unregister(HealthChecker checker) => LiveCheckers.TryRemove(checker, out _);

    private static IEnumerable<Measurement<int>> Measure()
    {
        foreach (var checker in LiveCheckers.Keys)
            foreach (var system in checker.LastRuns.Keys)
                foreach (var result in checker.GetResults(system) ?? [])
                    yield return new Measurement<int>(result.Healthy ? 1 : 0,
                        new KeyValuePair<string, object?>(FirecrestTelemetry.SystemTag, system),
                        new KeyValuePair<string, object?>("firecrest.health.service", WireNames.Of(result.ServiceType)),
                        new KeyValuePair<string, object?>("firecrest.health.path", result.Path ?? ""));
    }
}
