using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>The in-process engine: hands out <see cref="IHpcOperations"/> bound to one user, and the health state.</summary>
public interface IHpcEngine
{
    /// <summary>Operations acting as <paramref name="user"/>.</summary>
    IHpcOperations ForUser(UserIdentity user);

    /// <summary>Latest health results and gating decisions.</summary>
    IHealthState Health { get; }
}

/// <summary>Cached results of the health checker, read by the server to gate requests.</summary>
public interface IHealthState
{
    /// <summary>Latest results per service of <paramref name="system"/>; null before the first run.</summary>
    IReadOnlyList<ServiceHealth>? GetResults(string system);

    /// <summary>When the checker last finished a run for each system.</summary>
    IReadOnlyDictionary<string, DateTimeOffset> LastRuns { get; }

    /// <summary>
    /// False when <paramref name="serviceType"/> of <paramref name="system"/> was found
    /// unhealthy in the last run (for filesystem: the file system that holds <paramref name="path"/>). True before
    /// the first run and when the service is not probed.
    /// </summary>
    bool IsHealthy(string system, HealthServiceType serviceType, string? path = null);
}
