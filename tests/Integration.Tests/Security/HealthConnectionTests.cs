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
        var busy = Enumerable.Range(0, cluster.Ssh.MaxSessionsPerConnection * 2)
            .Select(_ => host.Pool.RunAsync(cluster.Name, new UserIdentity(user), new RemoteCommand("sleep 4") { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None))
            .ToList();
        await Task.Delay(1000);
        var started = DateTime.UtcNow;
        await host.Health.RunOnceAsync(CancellationToken.None);
        var took = DateTime.UtcNow - started;
        await Task.WhenAll(busy);
        Assert.True(took < TimeSpan.FromSeconds(3), $"the health check waited for the user's channels ({took.TotalSeconds:0.0} s)");
        Assert.Equal(1, host.HealthPool.OpenConnectionCount(cluster.Name));
        Assert.Equal(1, host.Pool.OpenConnectionCount(cluster.Name));
    }
}
