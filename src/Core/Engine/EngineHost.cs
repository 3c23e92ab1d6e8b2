using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Health;
using Firecrest.Core.Idempotency;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Firecrest.Core.Engine;

/// <summary>Options of <see cref="EngineHost.Create"/>.</summary>
public sealed class EngineHostOptions
{
    /// <summary>Loggers; none by default.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>User the health probes run as (default: the user of the service account's token).</summary>
    public string? ProbeUser { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where idempotent submits are remembered; by default in this process, on <see cref="TimeProvider"/>.</summary>
    public IIdempotencyStore? IdempotencyStore { get; set; }
}

/// <summary>
/// Everything the engine is made of, built from one configuration and disposed together: SSH credentials and the
/// connection pool, scheduler adapters, file systems, data movers, the health checker and the <see cref="FirecrestEngine"/>.
/// The server registers it in DI; the direct
/// faces (PowerShell, MCP) create one themselves.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly List<TransferService> _transfers;

    private EngineHost(FirecrestSettings settings, EngineHostOptions options)
    {
        Settings = settings;
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var credentials = SshCredentialProviders.Create(settings.SshCredentials, _http, options.TimeProvider);
        Pool = new SshConnectionPool(settings, credentials, options.LoggerFactory.CreateLogger<SshConnectionPool>(), options.TimeProvider);
        var s3 = new S3ClientFactory();
        var systems = new List<HpcSystemContext>();
        _transfers = [];
        foreach (var cluster in settings.Clusters)
        {
            var scheduler = SchedulerFactory.Create(cluster, Pool, _http);
            var transfers = new TransferService(cluster, scheduler, Pool, s3, options.LoggerFactory.CreateLogger<TransferService>(), options.TimeProvider);
            _transfers.Add(transfers);
            systems.Add(new HpcSystemContext(cluster, scheduler, new RemoteFileSystem(Pool, cluster), transfers));
        }
        // The probes have a pool (and scheduler adapters over it) of their own: a user who fills the channels of the
        // probe user's connection, or the pool's capacity, cannot time the checks out and turn every route into 503.
        HealthPool = new SshConnectionPool(settings, credentials, options.LoggerFactory.CreateLogger<SshConnectionPool>(), options.TimeProvider);
        var byName = settings.Clusters.ToDictionary(c => c.Name, c => SchedulerFactory.Create(c, HealthPool, _http), StringComparer.OrdinalIgnoreCase);
        Health = new HealthChecker(settings, HealthPool, name => byName.GetValueOrDefault(name),
            new HealthCheckerOptions { ProbeUser = options.ProbeUser, HttpClient = _http, TimeProvider = options.TimeProvider },
            options.LoggerFactory.CreateLogger<HealthChecker>());
        Engine = new FirecrestEngine(settings, systems, Health, options.IdempotencyStore ?? new InMemoryIdempotencyStore(options.TimeProvider));
    }

    /// <summary>Builds the engine for <paramref name="settings"/> (validated by the loader).</summary>
    public static EngineHost Create(FirecrestSettings settings, EngineHostOptions? options = null) =>
        new(settings ?? throw new ArgumentNullException(nameof(settings)), options ?? new EngineHostOptions());

    public FirecrestSettings Settings { get; }

    public FirecrestEngine Engine { get; }

    /// <summary>The health checker (a hosted service in the server; call <see cref="HealthChecker.RunOnceAsync"/> elsewhere).</summary>
    public HealthChecker Health { get; }

    /// <summary>The SSH connection pool of user operations.</summary>
    public SshConnectionPool Pool { get; }

    /// <summary>The SSH connection pool of the health probes alone.</summary>
    public SshConnectionPool HealthPool { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Health.Dispose();
        foreach (var t in _transfers) t.Dispose();
        await Pool.DisposeAsync().ConfigureAwait(false);
        await HealthPool.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }
}
