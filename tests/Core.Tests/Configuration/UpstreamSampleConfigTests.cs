using Firecrest.Core.Models;
using Firecrest.Core.Configuration;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.Configuration;

public sealed class UpstreamSampleConfigTests
{
    [Fact]
    public void Four_cluster_sample_loads_with_lower_case_names()
    {
        var result = FirecrestConfigLoader.Load(ConfigTestFiles.Sample("four-clusters"));

        var s = result.Settings;
        Assert.Equal(["cluster-slurm-api", "cluster-slurm-ssh", "cluster-slurm-ssh-no-health-check", "cluster-pbs"], s.Clusters.Select(c => c.Name));
        Assert.Equal("client_secret_post", s.Auth.Authentication.TokenEndpointAuthMethod);
        Assert.Equal("sub", s.Auth.Authentication.UsernameClaim);
        Assert.Equal(SshCredentialsType.SshService, s.SshCredentials.Type);
        Assert.Equal(500, s.SshCredentials.MaxConnections);
        var api = s.Clusters[0];
        Assert.Equal(SchedulerConnectionMode.Hybrid, api.Scheduler.ConnectionMode);
        Assert.Equal("http://10.10.0.2:6820", api.Scheduler.ApiUrl);
        Assert.Equal([HealthServiceType.Scheduler, HealthServiceType.Filesystem, HealthServiceType.S3], api.Probing.Services!.Keys);
        Assert.Equal(20, api.Probing.Services[HealthServiceType.S3].Timeout);
        Assert.Equal(60, api.Probing.IntervalCheck);
        Assert.Equal(["#SBATCH --nodes=1", "#SBATCH --time=0-00:15:00", "#SBATCH --account={account}"], api.DataOperation.DatatransferJobsDirectives);
        Assert.Equal(1073741824, api.DataOperation.DataTransfer!.Multipart.MaxPartSize);
        Assert.Equal(["/home", "/scratch"], s.Clusters[1].FileSystems.Select(f => f.Path));
        Assert.Equal(SchedulerType.Pbs, s.Clusters[3].Scheduler.Type);
        Assert.Equal([HealthServiceType.S3], s.Clusters[2].Probing.Services!.Keys);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void One_cluster_sample_loads_and_warns_about_the_keys_upstream_ignores()
    {
        var result = FirecrestConfigLoader.Load(ConfigTestFiles.Sample("one-cluster"));

        var cluster = Assert.Single(result.Settings.Clusters);
        Assert.Equal("cluster", cluster.Name);
        Assert.Equal("http://localhost:8025/token", result.Settings.Auth.Authentication.TokenUrl);
        Assert.Equal("sampleuser-key-placeholder", result.Settings.SshCredentials.Keys["sampleuser"].PrivateKey);
        Assert.Equal("sample-secret", cluster.ServiceAccount!.Secret);
        Assert.Equal(1048576, cluster.DataOperation.MaxOpsFileSize);
        Assert.Equal(
            ["clusters[0].probing.startup_grace_period: unknown key, ignored",
             "clusters[0].data_operation.data_transfer.probing: unknown key, ignored"],
            result.Warnings);
    }

    [Fact]
    public void Secret_file_sample_loads_with_its_secret_files_streamer_and_wormhole()
    {
        using var files = new ConfigTestFiles();
        files.Write("secrets/ssh_private_key_fireuser", "KEY-FIREUSER\n");
        files.Write("secrets/ssh_private_key_firesrv", "KEY-FIRESRV\n");
        files.Write("secrets/ssh_passphrase_firesrv", "  pass phrase \n");
        files.Write("secrets/service_account_client_secret", "sa-secret\n");
        files.Write("secrets/s3_secret_access_key", "s3-secret\n");
        var yaml = File.ReadAllText(ConfigTestFiles.Sample("secret-files")).Replace("/run/secrets/", Path.Combine(files.Dir, "secrets") + "/");

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        var s = result.Settings;
        Assert.Equal(["cluster-slurm-api", "cluster-slurm-ssh", "cluster-pbs"], s.Clusters.Select(c => c.Name));
        Assert.Equal("KEY-FIREUSER", s.SshCredentials.Keys["fireuser"].PrivateKey);
        Assert.Equal("pass phrase", s.SshCredentials.Keys["firesrv"].Passphrase);
        Assert.All(s.Clusters, c => Assert.Equal("sa-secret", c.ServiceAccount!.Secret));
        Assert.Equal("s3-secret", s.Clusters[1].DataOperation.DataTransfer!.SecretAccessKey);
        var streamer = s.Clusters[0].DataOperation.DataTransfer!;
        Assert.Equal(TransferMethod.Streamer, streamer.ServiceType);
        Assert.Equal([5665, 5666], streamer.PortRange);
        Assert.Equal(43200, streamer.WaitTimeout);
        Assert.Equal(TransferMethod.Wormhole, s.Clusters[2].DataOperation.DataTransfer!.ServiceType);
        Assert.Equal(SchedulerConnectionMode.Rest, s.Clusters[0].Scheduler.ConnectionMode);
        Assert.Equal(
            ["clusters[0].probing.startup_grace_period: unknown key, ignored",
             "clusters[2].probing.startup_grace_period: unknown key, ignored"],
            result.Warnings);
    }

    [Fact]
    public void Demo_template_rendered_with_temporary_files_maps_the_project_extensions()
    {
        using var files = new ConfigTestFiles();
        files.Write("ssh/fireuser/id_ed25519", "K1\n");
        files.Write("ssh/fireuser2/id_ed25519", "K2\n");
        files.Write("ssh/known_hosts", "[127.0.0.1]:2222 ssh-ed25519 AAAA\n");
        files.Write("s3/secret_access_key", "S3SECRET\n");
        var yaml = File.ReadAllText(ConfigTestFiles.DemoTemplate())
            .Replace("${OIDC_ISSUER}", "http://127.0.0.1:8080").Replace("${OIDC_AUDIENCE}", "firecrest-api")
            .Replace("${TESTENV_DIR}", files.Dir).Replace("${SSH_PORT}", "2222")
            .Replace("${SLURMRESTD_URL}", "http://127.0.0.1:6820").Replace("${S3_URL}", "http://127.0.0.1:9000")
            .Replace("${STREAMER_FIRST_PORT}", "27100").Replace("${STREAMER_LAST_PORT}", "27149").Replace("${STREAMER_PATH}", files.Dir + "/streamer/x/firecrest-streamer");

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        DemoConfigAssertions.AssertDemoExtensions(result, files.Dir, "S3SECRET", "K1");
    }
}
