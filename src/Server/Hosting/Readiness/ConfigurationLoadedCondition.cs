using Firecrest.Core.Configuration;

namespace Firecrest.Server.Hosting.Readiness;

/// <summary>
/// The configuration was loaded and validated (a configuration that fails either stops the server before it
/// listens) and names at least one system to serve.
/// </summary>
public sealed class ConfigurationLoadedCondition(FirecrestSettings settings) : IReadinessCondition
{
    /// <inheritdoc/>
    public string Name => "configuration";

    /// <inheritdoc/>
    public ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken)
    {
        var systems = settings.Clusters.Select(c => c.Name).ToList();
        return ValueTask.FromResult(systems.Count == 0
            ? new ReadinessCheck(Name, false, "the configuration names no system (clusters is empty)")
            : new ReadinessCheck(Name, true, $"loaded; systems: {string.Join(", ", systems)}"));
    }
}
