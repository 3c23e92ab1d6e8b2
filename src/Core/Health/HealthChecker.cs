using System.Collections.Concurrent;
using Firecrest.Core.Client;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Ssh;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Firecrest.Core.Health;

/// <summary>
/// Probes every system on its own interval (<c>probing.interval_check</c>), the services of a system in parallel:
/// ssh (<c>true</c>), scheduler (ping), each file system (<c>ls -d</c>) and S3 (ListBuckets), each under its own
/// timeout (<c>probing.services.X.timeout</c>). A failing or hanging probe makes its service unhealthy; nothing is
/// thrown out of the loop. Results are cached per system with time and latency and drive the server's 503 gating.
/// The probes run as the user named in the service account's token (<c>username_claim</c>), as upstream does.
/// </summary>
public sealed class HealthChecker : BackgroundService, IHealthState
{
    private readonly FirecrestSettings _settings;
    private readonly IRemoteShell _shell;
    private readonly Func<string, IScheduler?> _schedulers;
    private readonly HealthCheckerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<string, OidcClientCredentialsTokenProvider> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ServiceHealth>> _results = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _lastRunsWrite = new();
    // Replaced whole after each run, so a read (every /status/systems request) neither copies nor locks.
    private Dictionary<string, DateTimeOffset> _lastRuns = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="settings">The configuration (systems, probing, service accounts, token URL).</param>
    /// <param name="shell">Runs the ssh and filesystem probes.</param>
    /// <param name="schedulers">The scheduler adapter of a system by name, or null.</param>
    /// <param name="options">Optional settings (probe user override, HTTP client, clock, S3 probe).</param>
    /// <param name="logger">Optional logger.</param>
    public HealthChecker(FirecrestSettings settings, IRemoteShell shell, Func<string, IScheduler?> schedulers,
        HealthCheckerOptions? options = null, ILogger<HealthChecker>? logger = null)
    {
        _settings = settings;
        _shell = shell;
        _schedulers = schedulers;
        _options = options ?? new HealthCheckerOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = _options.TimeProvider;
        _ownsHttp = _options.HttpClient is null;
        _http = _options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Diagnostics.HealthTelemetry.Register(this);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, DateTimeOffset> LastRuns => Volatile.Read(ref _lastRuns);

    /// <inheritdoc/>
    public IReadOnlyList<ServiceHealth>? GetResults(string system) => _results.GetValueOrDefault(system);

    /// <inheritdoc/>
    public bool IsHealthy(string system, HealthServiceType serviceType, string? path = null) =>
        !_results.TryGetValue(system, out var results) || HealthGating.IsHealthy(results, serviceType, path);

    /// <summary>Checks every system once, in parallel, and stores the results.</summary>
    public Task RunOnceAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_settings.Clusters.Select(c => CheckAsync(c, cancellationToken)));

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_settings.Clusters.Select(c => LoopAsync(c, stoppingToken)));

    /// <inheritdoc/>
    public override void Dispose()
    {
        Diagnostics.HealthTelemetry.Unregister(this);
        if (_ownsHttp) _http.Dispose();
        base.Dispose();
    }

    private async Task LoopAsync(ClusterSettings cluster, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(cluster.Probing.IntervalCheck);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(cluster, stoppingToken).ConfigureAwait(false);
                await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CheckAsync(ClusterSettings cluster, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceHealth> results;
        var started = _time.GetUtcNow();
        try
        {
            results = await ProbeAllAsync(cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Health check of {System} failed", cluster.Name);
            results =
            [
                new ServiceHealth
                {
                    ServiceType = HealthServiceType.Exception,
                    LastChecked = started,
                    Healthy = false,
                    Message = $"Cluster HealthChecker execution failed with error: {e.GetType().Name} - {e.Message}",
                },
            ];
        }
        _results[cluster.Name] = results;
        lock (_lastRunsWrite)
        {
            Volatile.Write(ref _lastRuns, new Dictionary<string, DateTimeOffset>(_lastRuns, StringComparer.OrdinalIgnoreCase)
            {
                [cluster.Name] = _time.GetUtcNow(),
            });
        }
        foreach (var r in results.Where(r => !r.Healthy))
            _logger.LogWarning("{System}: {Service}{Path} unhealthy: {Message}", cluster.Name, WireNames.Of(r.ServiceType), r.Path is null ? "" : " " + r.Path, r.Message);
    }

    private async Task<IReadOnlyList<ServiceHealth>> ProbeAllAsync(ClusterSettings cluster, CancellationToken cancellationToken)
    {
        var services = cluster.Probing.Services;
        if (services is not { Count: > 0 }) return [];
        var needsUser = services.Keys.Any(k => k is HealthServiceType.Ssh or HealthServiceType.Scheduler or HealthServiceType.Filesystem);
        var user = needsUser ? await ProbeUserAsync(cluster, cancellationToken).ConfigureAwait(false) : null;
        var probes = new List<Task<ServiceHealth>>();
        var system = cluster.Name;
        foreach (var (kind, probe) in services)
        {
            var timeout = TimeSpan.FromSeconds(probe.Timeout);
            switch (kind)
            {
                case HealthServiceType.Ssh:
                    probes.Add(ProbeAsync(kind, null, timeout, ct => RunAsync(system, user!, "true", timeout, ct), cancellationToken));
                    break;
                case HealthServiceType.Scheduler:
                    probes.Add(ProbeAsync(kind, null, timeout, ct => PingAsync(system, user!, ct), cancellationToken));
                    break;
                case HealthServiceType.Filesystem:
                    foreach (var fs in cluster.FileSystems)
                    {
                        var command = $"ls -d -- {ShellQuote.Quote(fs.Path)}";
                        probes.Add(ProbeAsync(kind, fs.Path, timeout, ct => RunAsync(system, user!, command, timeout, ct), cancellationToken));
                    }
                    break;
                case HealthServiceType.S3 when cluster.DataOperation.DataTransfer is { ServiceType: TransferMethod.S3 } s3:
                    var s3Probe = _options.S3Probe ?? S3HealthProbe.ListBucketsAsync;
                    probes.Add(ProbeAsync(kind, null, timeout, ct => s3Probe(s3, timeout, ct), cancellationToken));
                    break;
            }
        }
        return await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private async Task<UserIdentity> ProbeUserAsync(ClusterSettings cluster, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.ProbeUser)) return new UserIdentity(_options.ProbeUser);
        var account = cluster.ServiceAccount
            ?? throw new HpcException(HpcErrorKind.InvalidArgument, $"System {cluster.Name} has probing.services but no service_account.");
        var auth = _settings.Auth.Authentication;
        var provider = _tokens.GetOrAdd(cluster.Name, _ => new OidcClientCredentialsTokenProvider(
            _http, auth.TokenUrl ?? "", account.ClientId, account.Secret, auth.TokenEndpointAuthMethod, _time));
        var token = await provider.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var username = JwtClaims.GetString(token, auth.UsernameClaim);
        if (string.IsNullOrEmpty(username))
            throw new HpcException(HpcErrorKind.Unauthenticated, $"The service account token of {cluster.Name} has no '{auth.UsernameClaim}' claim.");
        return new UserIdentity(username, token);
    }

    private async Task<(bool, string)> RunAsync(string system, UserIdentity user, string commandLine, TimeSpan timeout, CancellationToken ct)
    {
        var result = await _shell.RunAsync(system, user, new RemoteCommand(commandLine) { Timeout = timeout }, ct).ConfigureAwait(false);
        return result.ExitStatus == 0
            ? (true, "OK")
            : (false, $"'{commandLine}' exited with {result.ExitStatus}: {result.Stderr.Trim()}");
    }

    private Task<(bool Healthy, string Message)> PingAsync(string system, UserIdentity user, CancellationToken ct) =>
        _schedulers(system) is { } scheduler
            ? scheduler.PingAsync(user, ct)
            : Task.FromResult((false, $"no scheduler adapter for system {system}"));

    private async Task<ServiceHealth> ProbeAsync(HealthServiceType kind, string? path, TimeSpan timeout,
        Func<CancellationToken, Task<(bool Healthy, string Message)>> probe, CancellationToken cancellationToken)
    {
        var health = new ServiceHealth { ServiceType = kind, Path = path, LastChecked = _time.GetUtcNow() };
        var start = _time.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            // WaitAsync also ends the wait for a probe that ignores its token.
            (health.Healthy, health.Message) = await Task.Run(() => probe(cts.Token), cts.Token).WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            health.Healthy = false;
            health.Message = e is TimeoutException or OperationCanceledException
                || (e is HpcException { Kind: HpcErrorKind.Timeout })
                ? $"{WireNames.Of(kind)} probe timed out after {timeout.TotalSeconds:0.###} s"
                : $"{e.GetType().Name}: {e.Message}";
        }
        health.Latency = _time.GetElapsedTime(start).TotalSeconds;
        return health;
    }
}
