using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Firecrest.Server.Hosting;

/// <summary>The single place where the server gets its engine and configuration.</summary>
public static class EngineRegistration
{
    /// <summary>
    /// Registers the <see cref="IHpcEngine"/> and the <see cref="FirecrestSettings"/>. Until the real engine and the YAML
    /// loader are plugged in here, settings default to an empty configuration and the engine answers 501.
    /// A registration made earlier (e.g. by a test host) wins.
    /// </summary>
    public static IServiceCollection AddFirecrestEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(new FirecrestSettings());
        services.TryAddSingleton<IHpcEngine, UnconfiguredEngine>();
        return services;
    }

    /// <summary>Placeholder engine: no health data, every operation is "not implemented".</summary>
    private sealed class UnconfiguredEngine : IHpcEngine, IHealthState
    {
        public IHealthState Health => this;

        public IReadOnlyDictionary<string, DateTimeOffset> LastRuns { get; } = new Dictionary<string, DateTimeOffset>();

        public IReadOnlyList<ServiceHealth>? GetResults(string system) => null;

        public bool IsHealthy(string system, string serviceType, string? path = null) => true;

        public IHpcOperations ForUser(UserIdentity user) =>
            throw new HpcException(HpcErrorKind.NotImplemented, "No engine is configured in this server.");
    }
}
