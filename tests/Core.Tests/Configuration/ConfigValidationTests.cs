using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.Configuration;

public sealed class ConfigValidationTests
{
    private static readonly string Base = ConfigKeyStyleTests.ValidSnakeConfig;

    [Theory]
    [InlineData("command_execution: 3, idle_timeout: 40", "command_execution: 30, idle_timeout: 20",
        "clusters[0].ssh.timeout.idle_timeout must be greater than command_execution (20 <= 30)")]
    [InlineData("- name: Alpha", "- ssh_name: Alpha", "clusters[0].name is required")]
    [InlineData("    host: 127.0.0.1\n", "", "clusters[0].ssh.host is required")]
    [InlineData("    port: 2222\n", "", "clusters[0].ssh.port is required")]
    [InlineData("    port: 2222\n", "    port: 70000\n", "clusters[0].ssh.port must be a port number between 1 and 65535 (got 70000)")]
    [InlineData("    port: 2222\n", "    port: abc\n", "clusters[0].ssh.port must be an integer (got 'abc')")]
    [InlineData("{type: slurm, version: \"22.05.8\",", "{version: \"22.05.8\",", "clusters[0].scheduler.type is required (slurm or pbs)")]
    [InlineData("{type: slurm, version: \"22.05.8\",", "{type: slurm,", "clusters[0].scheduler.version is required")]
    [InlineData("{type: slurm,", "{type: lsf,", "clusters[0].scheduler.type must be one of slurm, pbs (got 'lsf')")]
    [InlineData(" api_url: \"http://127.0.0.1:6820\",", "", "clusters[0].scheduler.api_url is required when connection_mode is hybrid")]
    [InlineData("api_url: \"http://127.0.0.1:6820\"", "api_url: \"not a url\"", "clusters[0].scheduler.api_url must be an absolute http(s) URL (got 'not a url')")]
    [InlineData("  probing: {interval_check: 30, services: {ssh: {timeout: 2}}}\n", "", "clusters[0].probing is required (it may be empty)")]
    [InlineData("interval_check: 30", "interval_check: 0", "clusters[0].probing.interval_check must be greater than 0 (got 0)")]
    [InlineData("{ssh: {timeout: 2}}", "{ssh: {timeout: -1}}", "clusters[0].probing.services.ssh.timeout must be greater than 0 (got -1)")]
    [InlineData("  service_account: {client_id: c, secret: s}\n", "", "clusters[0].service_account is required when probing.services is set (the health checker signs in with it)")]
    [InlineData("path: /home,", "path: home,", "clusters[0].file_systems[0].path must be an absolute path (got 'home')")]
    [InlineData("data_type: users", "data_type: videos", "clusters[0].file_systems[0].data_type must be one of users, store, archive, apps, scratch, project (got 'videos')")]
    [InlineData("max_ops_file_size: 1000", "max_ops_file_size: 0", "clusters[0].data_operation.max_ops_file_size must be greater than 0 (got 0)")]
    [InlineData("service_type: s3", "service_type: ftp", "clusters[0].data_operation.data_transfer.service_type must be one of s3, streamer, wormhole (got 'ftp')")]
    [InlineData("      private_url: \"http://127.0.0.1:9000\"\n", "", "clusters[0].data_operation.data_transfer.private_url is required")]
    [InlineData("known_hosts_file: /etc/hosts", "known_hosts_file: /nonexistent/kh", "clusters[0].ssh.known_hosts_file: file '/nonexistent/kh' does not exist")]
    [InlineData("    token_url: \"http://127.0.0.1:8080/token\"\n", "", "auth.authentication.token_url is required")]
    [InlineData("token_endpoint_auth_method: client_secret_post", "token_endpoint_auth_method: private_key_jwt", "auth.authentication.token_endpoint_auth_method must be client_secret_basic or client_secret_post (got 'private_key_jwt')")]
    [InlineData("  url: \"http://127.0.0.1:5000\"\n", "", "ssh_credentials.url is required")]
    [InlineData("  type: SSHService\n", "", "ssh_credentials.type is required (SSHStaticKeys, SSHService, SSHCA)")]
    [InlineData("max_clients: 3", "max_clients: [3]", "clusters[0].ssh.max_clients must be an integer, not a list")]
    public void Invalid_value_is_reported_with_its_key_path(string find, string replace, string expected)
    {
        Assert.Contains(find, Base);
        var yaml = Base.Replace(find, replace);

        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(yaml));

        Assert.Equal([expected], e.Problems);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Pbs_must_be_reached_over_ssh()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(Base.Replace("type: slurm", "type: pbs")));

        Assert.Equal(["clusters[0].scheduler.connection_mode must be ssh for pbs (got hybrid)"], e.Problems);
    }

    [Fact]
    public void Duplicate_cluster_names_are_refused_case_insensitively()
    {
        var cluster = Base[Base.IndexOf("- name: Alpha", StringComparison.Ordinal)..];
        var yaml = Base + "\n" + cluster.Replace("name: Alpha", "name: ALPHA");

        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(yaml));

        Assert.Equal(["clusters[1].name 'alpha' is used twice (also clusters[0].name; names are compared in lower case)"], e.Problems);
    }

    [Fact]
    public void All_problems_are_listed_at_once()
    {
        var yaml = Base.Replace("    port: 2222\n", "").Replace("path: /home,", "path: home,").Replace("max_ops_file_size: 1000", "max_ops_file_size: -5");

        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(yaml));

        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("clusters[0].ssh.port is required", e.Problems);
        Assert.Contains("clusters[0].file_systems[0].path must be an absolute path (got 'home')", e.Problems);
        Assert.Contains("clusters[0].data_operation.max_ops_file_size must be greater than 0 (got -5)", e.Problems);
        Assert.Contains("3 problems", e.Message);
    }

    [Fact]
    public void An_empty_probing_key_is_enough()
    {
        var yaml = Base.Replace("  probing: {interval_check: 30, services: {ssh: {timeout: 2}}}\n", "  probing:\n");

        var c = FirecrestConfigLoader.LoadFromYaml(yaml).Settings.Clusters[0];

        Assert.Null(c.Probing.Services);
        Assert.Equal(120, c.Probing.IntervalCheck);
    }
}
