using Firecrest.Core.Json;
using Firecrest.Core.Models;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Firecrest.Core.Configuration;
using Firecrest.Core.Health;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Health;

public sealed class HealthCheckerIntegrationTests : IDisposable
{
    private readonly TestCluster _cluster = TestCluster.Current;
    private readonly DirectSshShell _shell = new();

    public void Dispose() => _shell.Dispose();

    private (FirecrestSettings Settings, ClusterSettings System) DemoConfig()
    {
        var settings = FirecrestConfigLoader.Load(_cluster.ConfigPath).Settings;
        return (settings, settings.Clusters[0]);
    }

    [Fact]
    public async Task Real_run_finds_every_service_of_the_local_cluster_healthy()
    {
        var (settings, system) = DemoConfig();
        using var checker = new HealthChecker(settings, _shell, name => new SlurmCliScheduler(_shell, settings.FindCluster(name)!));
        var before = DateTimeOffset.UtcNow;

        await checker.RunOnceAsync(CancellationToken.None);

        var results = checker.GetResults(system.Name)!;
        Assert.Equal(["ssh", "scheduler", "filesystem/home", "filesystem/scratch", "s3"], results.Select(r => WireNames.Of(r.ServiceType) + r.Path));
        Assert.All(results, r => Assert.True(r.Healthy, $"{r.ServiceType} {r.Path}: {r.Message}"));
        Assert.All(results, r => Assert.InRange(r.Latency!.Value, 0, 10));
        Assert.Matches(@"Slurmctld\(primary\) at \S+ is UP", results[1].Message);
        Assert.InRange(checker.LastRuns[system.Name], before, DateTimeOffset.UtcNow);
        Assert.True(checker.IsHealthy(system.Name, HealthServiceType.Filesystem, "/home/" + _cluster["SSH_USER"]));
    }

    [Fact]
    public async Task Missing_file_system_is_unhealthy_on_the_real_cluster()
    {
        var (settings, system) = DemoConfig();
        system.FileSystems.Add(new FileSystemSettings { Path = "/nonexistent-f7t-fs", DataType = FileSystemDataType.Scratch });
        using var checker = new HealthChecker(settings, _shell, name => new SlurmCliScheduler(_shell, settings.FindCluster(name)!),
            new HealthCheckerOptions { ProbeUser = _cluster["SSH_USER2"] });

        await checker.RunOnceAsync(CancellationToken.None);

        var missing = checker.GetResults(system.Name)!.Single(r => r.Path == "/nonexistent-f7t-fs");
        Assert.False(missing.Healthy);
        Assert.Contains("No such file or directory", missing.Message);
        Assert.False(checker.IsHealthy(system.Name, HealthServiceType.Filesystem, "/nonexistent-f7t-fs/x"));
        Assert.True(checker.IsHealthy(system.Name, HealthServiceType.Filesystem, "/home/x"));
    }

    [Fact]
    public async Task S3_on_a_closed_port_is_unhealthy_within_its_timeout()
    {
        var (settings, system) = DemoConfig();
        system.DataOperation.DataTransfer!.PrivateUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
        system.Probing.Services = new() { [HealthServiceType.S3] = new ProbeSettings { Timeout = 60 } };
        using var checker = new HealthChecker(settings, _shell, _ => null);
        var watch = Stopwatch.StartNew();

        await checker.RunOnceAsync(CancellationToken.None);

        // A refused connection answers at once: the probe did not wait out its timeout.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        var s3 = Assert.Single(checker.GetResults(system.Name)!);
        Assert.Equal(HealthServiceType.S3, s3.ServiceType);
        Assert.False(s3.Healthy);
        Assert.False(string.IsNullOrWhiteSpace(s3.Message));
        Assert.False(checker.IsHealthy(system.Name, HealthServiceType.S3));
    }

    [Fact]
    public async Task Unreachable_token_endpoint_gives_an_exception_entry()
    {
        var (settings, system) = DemoConfig();
        settings.Auth.Authentication.TokenUrl = $"http://127.0.0.1:{LoopbackPort.Free()}/token";
        using var checker = new HealthChecker(settings, _shell, name => new SlurmCliScheduler(_shell, settings.FindCluster(name)!));

        await checker.RunOnceAsync(CancellationToken.None);

        var entry = Assert.Single(checker.GetResults(system.Name)!);
        Assert.Equal(HealthServiceType.Exception, entry.ServiceType);
        Assert.Contains("could not be reached", entry.Message);
    }
}
