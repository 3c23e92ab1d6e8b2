using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Security;

/// <summary>Health probes run over a connection of their own: a user whose channels are all busy does not slow them.</summary>
[Trait("Category", "Security")]
public sealed class HealthConnectionTests
{
    [Fact]
    public async Task Probes_pass_while_the_probe_users_pooled_channels_are_all_busy()
    {
        var settings = FirecrestConfigLoader.Load(TestCluster.Current.ConfigPath).Settings;
        var user = TestCluster.Current["SSH_USER"];
        await using var host = EngineHost.Create(settings, new EngineHostOptions { ProbeUser = user });
        var cluster = settings.Clusters[0];
        using var release = new CancellationTokenSource();
        var sessions = cluster.Ssh.MaxSessionsPerConnection;
        var busy = Enumerable.Range(0, sessions * 2)
            .Select(_ => host.Pool.RunAsync(cluster.Name, new UserIdentity(user), new RemoteCommand("sleep 120") { Timeout = TimeSpan.FromSeconds(180) }, release.Token))
            .ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (host.Pool.ConnectionOf(cluster.Name, user) is not { } connection || connection.InFlight < sessions)
        {
            Assert.True(DateTime.UtcNow < deadline, "the user's channels never all became busy");
            await Task.Delay(50);
        }

        await host.Health.RunOnceAsync(CancellationToken.None);

        // The check finished while every channel of the user was still taken and half its commands still queued.
        Assert.Equal(sessions, host.Pool.ConnectionOf(cluster.Name, user)!.InFlight);
        Assert.DoesNotContain(busy, t => t.IsCompleted);
        Assert.All(host.Health.GetResults(cluster.Name)!, r => Assert.True(r.Healthy, $"{r.ServiceType} {r.Path}: {r.Message}"));
        release.Cancel();
        await Task.WhenAll(busy.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(1, host.HealthPool.OpenConnectionCount(cluster.Name));
        Assert.Equal(1, host.Pool.OpenConnectionCount(cluster.Name));
    }
}
