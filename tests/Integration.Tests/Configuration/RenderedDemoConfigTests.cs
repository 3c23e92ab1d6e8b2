using Firecrest.Core.Configuration;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Configuration;

public sealed class RenderedDemoConfigTests
{
    [Fact]
    public void Rendered_demo_config_of_the_local_cluster_loads()
    {
        var cluster = TestCluster.Current;

        var result = FirecrestConfigLoader.Load(cluster.ConfigPath);

        DemoConfigAssertions.AssertDemoExtensions(result, cluster["TESTENV_DIR"], File.ReadAllText(Path.Combine(cluster["TESTENV_DIR"], "s3", "secret_access_key")).Trim(),
            File.ReadAllText(cluster["SSH_KEY_FIREUSER"]).Trim());
        Assert.Equal(cluster.SshPort, result.Settings.Clusters[0].Ssh.Port);
    }
}
