using Firecrest.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Firecrest.Core.Tests.Configuration;

public sealed class ConfigSourcesTests
{
    private static readonly string Base = ConfigKeyStyleTests.ValidSnakeConfig;

    [Fact]
    public void Secret_file_values_are_read_and_trimmed()
    {
        using var files = new ConfigTestFiles();
        var secret = files.Write("sa", "  top secret\n\n");
        var s3 = files.Write("s3", "s3key\n");
        var yaml = Base.Replace("service_account: {client_id: c, secret: s}", $"service_account: {{client_id: c, secret: \"secret_file:{secret}\"}}")
            .Replace("secret_access_key: b", $"secret_access_key: \"secret_file:{s3}\"");

        var c = FirecrestConfigLoader.LoadFromYaml(yaml).Settings.Clusters[0];

        Assert.Equal("top secret", c.ServiceAccount!.Secret);
        Assert.Equal("s3key", c.DataOperation.DataTransfer!.SecretAccessKey);
    }

    [Fact]
    public void Static_key_secret_files_are_read_for_key_passphrase_and_certificate()
    {
        using var files = new ConfigTestFiles();
        var key = files.Write("key", "-----BEGIN KEY-----\nabc\n-----END KEY-----\n");
        var pass = files.Write("pass", "pw\n");
        var cert = files.Write("cert", "ssh-ed25519-cert-v01@openssh.com AAAA\n");
        var yaml = Base.Replace("  type: SSHService\n  url: \"http://127.0.0.1:5000\"\n  max_connections: 7",
            $"  type: SSHStaticKeys\n  keys:\n    fireuser:\n      private_key: \"secret_file:{key}\"\n      passphrase: \"secret_file:{pass}\"\n      public_cert: \"secret_file:{cert}\"\n    other:\n      private_key: inline");

        var keys = FirecrestConfigLoader.LoadFromYaml(yaml).Settings.SshCredentials.Keys;

        Assert.Equal("-----BEGIN KEY-----\nabc\n-----END KEY-----", keys["fireuser"].PrivateKey);
        Assert.Equal("pw", keys["fireuser"].Passphrase);
        Assert.Equal("ssh-ed25519-cert-v01@openssh.com AAAA", keys["fireuser"].PublicCert);
        Assert.Equal("inline", keys["other"].PrivateKey);
    }

    [Fact]
    public void A_missing_secret_file_is_an_error_naming_the_key()
    {
        var yaml = Base.Replace("secret_access_key: b", "secret_access_key: \"secret_file:/nonexistent/f7t/s3\"");

        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(yaml));

        var problem = Assert.Single(e.Problems);
        Assert.StartsWith("clusters[0].data_operation.data_transfer.secret_access_key: cannot read secret file '/nonexistent/f7t/s3'", problem);
    }

    [Fact]
    public void Clusters_path_loads_every_yaml_file_of_the_directory_as_one_cluster()
    {
        using var files = new ConfigTestFiles();
        var clusterYaml = Base[(Base.IndexOf("- name: Alpha", StringComparison.Ordinal) + 2)..]
            .Replace("\n  ", "\n"); // the list item, de-indented to a top-level mapping
        files.Write("clusters/b.yaml", clusterYaml.Replace("name: Alpha", "name: Beta"));
        files.Write("clusters/a.yaml", clusterYaml.Replace("name: Alpha", "name: ALPHA") + "extra_key: 1\n");
        files.Write("clusters/notes.txt", "not a cluster");
        var yaml = Base[..Base.IndexOf("clusters:", StringComparison.Ordinal)] + $"clusters: \"path:{files.Dir}/clusters\"\n";

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        Assert.Equal(["alpha", "beta"], result.Settings.Clusters.Select(c => c.Name));
        Assert.Equal(2222, result.Settings.Clusters[1].Ssh.Port);
        Assert.Equal(["clusters[a.yaml].extra_key: unknown key, ignored"], result.Warnings);
    }

    [Fact]
    public void Problems_in_a_cluster_file_name_the_file()
    {
        using var files = new ConfigTestFiles();
        files.Write("clusters/bad.yaml", "name: x\nssh: {host: h}\nscheduler: {type: slurm, version: '1'}\nprobing: {}\n");
        var yaml = MinimalConfig.Auth + $"\nclusters: \"path:{files.Dir}/clusters\"\n";

        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(yaml));

        Assert.Equal(["clusters[bad.yaml].ssh.port is required"], e.Problems);
    }

    [Fact]
    public void A_missing_clusters_directory_is_an_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml(MinimalConfig.Auth + "\nclusters: \"path:/nonexistent/f7t\"\n"));

        Assert.Equal(["clusters: directory '/nonexistent/f7t' (from \"path:\") does not exist"], e.Problems);
    }

    [Fact]
    public void Explicit_path_wins_over_the_environment()
    {
        var env = new Dictionary<string, string?> { ["YAML_CONFIG_FILE"] = "/a.yaml", ["INPUT_YAML_CONFIG_FILE"] = "/b.yaml" };

        Assert.Equal("/x.yaml", FirecrestConfigLoader.ResolvePath("/x.yaml", env.GetValueOrDefault));
        Assert.Equal("/a.yaml", FirecrestConfigLoader.ResolvePath(null, env.GetValueOrDefault));
        env["YAML_CONFIG_FILE"] = "";
        Assert.Equal("/b.yaml", FirecrestConfigLoader.ResolvePath(null, env.GetValueOrDefault));
    }

    [Fact]
    public void No_path_and_no_environment_variable_is_a_clear_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.ResolvePath(null, _ => null));

        Assert.Contains("Missing YAML_CONFIG_FILE environment variable", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.Load("/nonexistent/f7t.yaml"));

        Assert.StartsWith("cannot read the configuration file '/nonexistent/f7t.yaml'", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_yaml_syntax_error_names_the_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml("auth:\n  a: [1, 2\nclusters: []\n", sourcePath: "f.yaml"));

        Assert.Matches(@"^f\.yaml: YAML syntax error", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_yaml_structure_error_names_line_and_column()
    {
        var e = Assert.Throws<ConfigurationException>(() => FirecrestConfigLoader.LoadFromYaml("auth:\n  authentication: x\n    token_url: y\n", sourcePath: "g.yaml"));

        Assert.Matches(@"^g\.yaml: YAML syntax error at line 3, column \d+: ", Assert.Single(e.Problems));
    }

    [Fact]
    public void Unknown_keys_give_one_warning_each_and_are_logged()
    {
        var logger = new ListLogger();
        var yaml = Base.Replace("    port: 2222", "    port: 2222\n    colour: red\n    shape: {a: 1}") + "future_feature: true\n";

        var result = FirecrestConfigLoader.LoadFromYaml(yaml, logger);

        Assert.Equal(["clusters[0].ssh.colour: unknown key, ignored", "clusters[0].ssh.shape: unknown key, ignored", "future_feature: unknown key, ignored"], result.Warnings);
        Assert.Equal(3, logger.Messages.Count(m => m.Level == LogLevel.Warning));
        Assert.Contains(logger.Messages, m => m.Text.Contains("clusters[0].ssh.colour"));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
