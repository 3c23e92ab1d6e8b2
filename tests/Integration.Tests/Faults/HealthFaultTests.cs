using Firecrest.Core.Models;
using System.Diagnostics;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Faults;

/// <summary>The health checker notices a stopped sshd or slurmctld within one interval, and recovery after restart.</summary>
[Trait("Category", "Faults")]
[Collection("Faults")]
public sealed class HealthFaultTests(ITestOutputHelper output)
{
    private const double Interval = 2;
    private const double ProbeTimeout = 3;

    private static EngineHost CreateHost()
    {
        var settings = FirecrestConfigLoader.Load(TestCluster.Current.ConfigPath).Settings;
        foreach (var c in settings.Clusters)
        {
            c.Probing.IntervalCheck = Interval;
            foreach (var probe in c.Probing.Services!.Values) probe.Timeout = ProbeTimeout;
        }
        return EngineHost.Create(settings, new EngineHostOptions { ProbeUser = "fireuser" });
    }

    private static async Task<TimeSpan> WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > limit) Assert.Fail($"{what} not seen within {limit.TotalSeconds} s");
            await Task.Delay(100);
        }
        return sw.Elapsed;
    }

    [Theory]
    [InlineData("sshd", HealthServiceType.Ssh)]
    [InlineData("slurmctld", HealthServiceType.Scheduler)]
    public async Task Stopped_service_turns_unhealthy_within_one_interval_and_healthy_after_restart(string daemon, HealthServiceType serviceType)
    {
        await using var host = CreateHost();
        await host.Health.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(() => host.Health.GetResults("cluster") is { Count: > 0 } && host.Health.IsHealthy("cluster", serviceType),
                TimeSpan.FromSeconds(30), $"{serviceType} healthy before the fault");
            if (daemon == "sshd") await ClusterControl.DropSshSessionsAsync();
            await ClusterControl.StopAsync(daemon);
            try
            {
                // A run in flight (up to one probe timeout), one interval until the next run starts, that run's probe timeout,
                // and a margin for a machine the rest of the suite keeps busy: late timers and threads, not a slower checker.
                var limit = TimeSpan.FromSeconds(Interval + 2 * ProbeTimeout + 8);
                var took = await WaitForAsync(() => !host.Health.IsHealthy("cluster", serviceType), limit, $"{serviceType} unhealthy after stopping {daemon}");
                output.WriteLine($"{serviceType} unhealthy {took.TotalSeconds:0.0} s after {daemon} stopped");
                var message = host.Health.GetResults("cluster")!.First(h => h.ServiceType == serviceType).Message;
                Assert.False(string.IsNullOrWhiteSpace(message));
            }
            finally
            {
                await ClusterControl.UpAsync();
            }
            var back = await WaitForAsync(() => host.Health.IsHealthy("cluster", serviceType), TimeSpan.FromSeconds(60), $"{serviceType} healthy after restart");
            output.WriteLine($"{serviceType} healthy again {back.TotalSeconds:0.0} s after cluster up returned");
        }
        finally
        {
            await host.Health.StopAsync(CancellationToken.None);
        }
    }
}

/// <summary>Fault tests share the cluster: never in parallel with each other.</summary>
[CollectionDefinition("Faults", DisableParallelization = true)]
public sealed class FaultsCollection;
