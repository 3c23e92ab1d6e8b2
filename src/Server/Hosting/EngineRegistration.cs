using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Idempotency;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Hosting;

/// <summary>The single place where the server gets its configuration and engine.</summary>
public static class EngineRegistration
{
    /// <summary>
    /// Registers <see cref="FirecrestSettings"/> (loaded from <c>YAML_CONFIG_FILE</c>, fallback <c>INPUT_YAML_CONFIG_FILE</c>,
    /// also readable from the host configuration), the <see cref="EngineHost"/> built from it (with the registered
    /// <see cref="IIdempotencyStore"/>, if any; else in memory), its <see cref="IHpcEngine"/> and the health checker as a hosted service. Everything is created on first use, at start-up at the latest, so a
    /// missing or wrong configuration stops the server before it listens. Registrations made by a test host win.
    /// </summary>
    public static IServiceCollection AddFirecrestEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var path = configuration[FirecrestConfigLoader.PathVariable] ?? configuration[FirecrestConfigLoader.FallbackPathVariable];
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Firecrest.Configuration");
            return FirecrestConfigLoader.Load(path, logger).Settings;
        });
        services.TryAddSingleton(sp => EngineHost.Create(sp.GetRequiredService<FirecrestSettings>(), new EngineHostOptions
        {
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
            IdempotencyStore = sp.GetService<IIdempotencyStore>(),
        }));
        services.TryAddSingleton<IHpcEngine>(sp => sp.GetRequiredService<EngineHost>().Engine);
        services.AddHostedService<EngineHealthService>();
        return services;
    }

    /// <summary>
    /// Runs the engine's health checker while the server runs, started <see cref="ServerOptions.HealthCheckStartDelaySeconds"/>
    /// after the server listens (ApplicationStarted): its first probes open SSH connections and an S3 client, CPU that
    /// would otherwise compete with the first requests (on two cores, about 300 ms of the first authenticated answer).
    /// Until the first run ends, systems show no health and readiness answers 503. The engine itself is still built
    /// here, before listening, so a wrong configuration stops the server first. When a host replaced the engine
    /// (tests), nothing is started, so no probes go to the systems of a fake configuration.
    /// </summary>
    private sealed class EngineHealthService(
        IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<ServerOptions> options, TimeProvider time) : IHostedService
    {
        private IHostedService? _checker;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var settings = services.GetRequiredService<FirecrestSettings>();
            if (services.GetRequiredService<IHpcEngine>() is not FirecrestEngine engine || !ReferenceEquals(engine.Settings, settings))
                return Task.CompletedTask;
            var checker = services.GetRequiredService<EngineHost>().Health;
            _checker = checker;
            var delay = TimeSpan.FromSeconds(Math.Max(0, options.Value.HealthCheckStartDelaySeconds));
            lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => StartCheckerAsync(checker, delay)));
            return Task.CompletedTask;
        }

        private async Task StartCheckerAsync(IHostedService checker, TimeSpan delay)
        {
            var stopping = lifetime.ApplicationStopping;
            try
            {
                if (delay > TimeSpan.Zero) await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                await checker.StartAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => _checker?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
