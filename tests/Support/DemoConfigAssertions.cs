using Firecrest.Core.Models;
using Firecrest.Core.Configuration;

namespace Firecrest.Tests.Support;

/// <summary>What the demo configuration (deploy/demo/firecrest.yaml) maps to, rendered from temporary files or by the local cluster.</summary>
public static class DemoConfigAssertions
{
    public static void AssertDemoExtensions(ConfigLoadResult result, string testenvDir, string s3Secret, string fireuserKey)
    {
        var s = result.Settings;
        Assert.Empty(result.Warnings);
        Assert.Equal("http://127.0.0.1:8080", s.Auth.Authentication.Issuer);
        Assert.Equal("firecrest-api", s.Auth.Authentication.Audience);
        Assert.Equal("preferred_username", s.Auth.Authentication.UsernameClaim);
        Assert.Equal(fireuserKey, s.SshCredentials.Keys["fireuser"].PrivateKey);
        Assert.Equal(["cluster", "streamer"], s.Clusters.Select(x => x.Name));
        var c = s.Clusters[0];
        Assert.Equal(Path.Combine(testenvDir, "ssh", "known_hosts"), c.Ssh.KnownHostsFile);
        Assert.Equal(10, c.Ssh.MaxSessionsPerConnection);
        Assert.Equal(10, c.Ssh.Timeout.CommandExecution);
        Assert.Equal("22.05.8", c.Scheduler.Version);
        Assert.Equal([HealthServiceType.Ssh, HealthServiceType.Scheduler, HealthServiceType.Filesystem, HealthServiceType.S3], c.Probing.Services!.Keys);
        Assert.Equal(s3Secret, c.DataOperation.DataTransfer!.SecretAccessKey);
        Assert.Equal(4, c.DataOperation.DataTransfer.Multipart.ParallelRuns);
        Assert.Equal(10, c.DataOperation.DataTransfer.BucketLifecycleConfiguration.Days);
        var streamer = s.Clusters[1].DataOperation.DataTransfer!;
        Assert.Equal(TransferMethod.Streamer, streamer.ServiceType);
        Assert.Equal(2, streamer.PortRange.Count);
        Assert.True(streamer.PortRange[0] <= streamer.PortRange[1]);
        Assert.Equal(["127.0.0.1"], streamer.PublicIps);
        Assert.StartsWith(testenvDir, streamer.StreamerPath, StringComparison.Ordinal);
        Assert.EndsWith("/firecrest-streamer", streamer.StreamerPath, StringComparison.Ordinal);
    }
}
