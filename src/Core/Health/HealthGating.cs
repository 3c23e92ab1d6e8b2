using Firecrest.Core.Models;

namespace Firecrest.Core.Health;

/// <summary>The gating decision over one system's latest health results.</summary>
internal static class HealthGating
{
    /// <summary>
    /// False when a result of <paramref name="serviceType"/> is unhealthy. For a file system with a path, only the
    /// file system that holds the path counts (the deepest configured mount). Unprobed services and paths outside
    /// every probed file system are healthy; the <see cref="HealthServiceType.Exception"/> entry of a failed run never gates.
    /// </summary>
    public static bool IsHealthy(IReadOnlyList<ServiceHealth> results, HealthServiceType serviceType, string? path)
    {
        var relevant = results.Where(r => r.ServiceType == serviceType).ToList();
        if (path is null || serviceType != HealthServiceType.Filesystem)
            return relevant.All(r => r.Healthy);
        var holder = relevant
            .Where(r => r.Path is not null && IsUnder(path, r.Path))
            .MaxBy(r => r.Path!.TrimEnd('/').Length);
        return holder?.Healthy ?? true;
    }

    private static bool IsUnder(string path, string root)
    {
        var r = root.TrimEnd('/');
        return path == root || path == r || path.StartsWith(r + "/", StringComparison.Ordinal);
    }
}
