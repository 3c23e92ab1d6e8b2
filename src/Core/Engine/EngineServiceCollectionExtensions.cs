using Firecrest.Core.Configuration;
using Firecrest.Core.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Firecrest.Core.Engine;

/// <summary>Registers the engine in a service collection.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EngineHost"/>, <see cref="IHpcEngine"/>, <see cref="IHealthState"/> and the health checker as a
    /// hosted service, for <paramref name="settings"/>.
    /// </summary>
    public static IServiceCollection AddFirecrestEngine(this IServiceCollection services, FirecrestSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(sp => EngineHost.Create(settings, new EngineHostOptions
        {
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        services.AddSingleton<IHpcEngine>(sp => sp.GetRequiredService<EngineHost>().Engine);
        services.AddSingleton<IHealthState>(sp => sp.GetRequiredService<EngineHost>().Health);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EngineHost>().Health);
        return services;
    }
}
