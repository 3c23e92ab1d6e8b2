using Firecrest.Core.Models;
using System.Text.Json;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.Configuration;

public sealed class ConfigKeyStyleTests
{
    private const string Snake = """
        auth:
          authentication:
            token_url: "http://127.0.0.1:8080/token"
            token_endpoint_auth_method: client_secret_post
            public_certs: ["http://127.0.0.1:8080/jwks"]
            username_claim: sub
            min_token_ttl: 10
        ssh_credentials:
          type: SSHService
          url: "http://127.0.0.1:5000"
          max_connections: 7
        logger:
          enable_tracing_log: true
          loggable_request_headers: [{input: user-agent, output: user_agent}]
        clusters:
        - name: Alpha
          ssh:
            host: 127.0.0.1
            port: 2222
            proxy_host: jump
            proxy_port: 22
            max_clients: 3
            timeout: {connection: 1, login: 2, command_execution: 3, idle_timeout: 40, keep_alive: 6}
            known_hosts_file: /etc/hosts
            max_sessions_per_connection: 4
          scheduler: {type: slurm, version: "22.05.8", connection_mode: hybrid, api_url: "http://127.0.0.1:6820", api_version: "0.0.38"}
          service_account: {client_id: c, secret: s}
          probing: {interval_check: 30, services: {ssh: {timeout: 2}}}
          file_systems: [{path: /home, data_type: users, default_work_dir: true}]
          data_operation:
            max_ops_file_size: 1000
            data_transfer:
              service_type: s3
              private_url: "http://127.0.0.1:9000"
              public_url: "http://127.0.0.1:9000"
              access_key_id: a
              secret_access_key: b
              bucket_lifecycle_configuration: {days: 3}
              multipart: {use_split: true, max_part_size: 100, parallel_runs: 2, tmp_folder: t}

        """;

    private const string Camel = """
        auth:
          authentication:
            tokenUrl: "http://127.0.0.1:8080/token"
            tokenEndpointAuthMethod: client_secret_post
            publicCerts: ["http://127.0.0.1:8080/jwks"]
            usernameClaim: sub
            minTokenTtl: 10
        ssh_credentials:
          type: SSHService
          url: "http://127.0.0.1:5000"
          maxConnections: 7
        logger:
          enableTracingLog: true
          loggableRequestHeaders: [{input: user-agent, output: user_agent}]
        clusters:
        - name: Alpha
          ssh:
            host: 127.0.0.1
            port: 2222
            proxyHost: jump
            proxyPort: 22
            maxClients: 3
            timeout: {connection: 1, login: 2, commandExecution: 3, idleTimeout: 40, keepAlive: 6}
            knownHostsFile: /etc/hosts
            maxSessionsPerConnection: 4
          scheduler: {type: slurm, version: "22.05.8", connectionMode: hybrid, apiUrl: "http://127.0.0.1:6820", apiVersion: "0.0.38"}
          serviceAccount: {clientId: c, secret: s}
          probing: {intervalCheck: 30, services: {ssh: {timeout: 2}}}
          fileSystems: [{path: /home, dataType: users, defaultWorkDir: true}]
          dataOperation:
            max_ops_file_size: 1000
            data_transfer:
              serviceType: s3
              privateUrl: "http://127.0.0.1:9000"
              publicUrl: "http://127.0.0.1:9000"
              accessKeyId: a
              secretAccessKey: b
              bucket_lifecycle_configuration: {days: 3}
              multipart: {use_split: true, max_part_size: 100, parallel_runs: 2, tmp_folder: t}

        """;

    [Fact]
    public void Snake_case_and_camel_case_keys_give_equal_settings()
    {
        var snake = FirecrestConfigLoader.LoadFromYaml(Snake);
        var camel = FirecrestConfigLoader.LoadFromYaml(Camel);

        Assert.Empty(snake.Warnings);
        Assert.Empty(camel.Warnings);
        Assert.Equal(JsonSerializer.Serialize(snake.Settings), JsonSerializer.Serialize(camel.Settings));
        var c = snake.Settings.Clusters[0];
        Assert.Equal("alpha", c.Name);
        Assert.Equal(40, c.Ssh.Timeout.IdleTimeout);
        Assert.Equal(4, c.Ssh.MaxSessionsPerConnection);
        Assert.True(c.DataOperation.DataTransfer!.Multipart.UseSplit);
        Assert.Equal(3, c.DataOperation.DataTransfer.BucketLifecycleConfiguration.Days);
        Assert.Equal("user_agent", snake.Settings.Logger.LoggableRequestHeaders[0].Output);
    }

    [Fact]
    public void Camel_case_keys_in_snake_case_only_sections_are_ignored_with_a_warning()
    {
        var yaml = Snake
            .Replace("max_ops_file_size: 1000", "maxOpsFileSize: 1000")
            .Replace("{use_split: true,", "{useSplit: true,");

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        var dop = result.Settings.Clusters[0].DataOperation;
        Assert.Equal(new DataOperationSettings().MaxOpsFileSize, dop.MaxOpsFileSize);
        Assert.False(dop.DataTransfer!.Multipart.UseSplit);
        Assert.Contains("clusters[0].data_operation.maxOpsFileSize: this section accepts snake_case keys only (write 'max_ops_file_size'), ignored", result.Warnings);
        Assert.Contains("clusters[0].data_operation.data_transfer.multipart.useSplit: this section accepts snake_case keys only (write 'use_split'), ignored", result.Warnings);
        Assert.Equal(2, result.Warnings.Count);
    }

    [Fact]
    public void Top_level_keys_are_snake_case_only()
    {
        var result = FirecrestConfigLoader.LoadFromYaml(Snake + "appDebug: true\napp_debug: false\n");

        Assert.False(result.Settings.AppDebug);
        Assert.Equal(["appDebug: this section accepts snake_case keys only (write 'app_debug'), ignored"], result.Warnings);
    }

    [Fact]
    public void Enum_values_are_case_insensitive()
    {
        var yaml = Snake.Replace("type: slurm", "type: SLURM").Replace("connection_mode: hybrid", "connection_mode: Hybrid").Replace("type: SSHService", "type: sshservice");

        var s = FirecrestConfigLoader.LoadFromYaml(yaml).Settings;

        Assert.Equal(SchedulerType.Slurm, s.Clusters[0].Scheduler.Type);
        Assert.Equal(SchedulerConnectionMode.Hybrid, s.Clusters[0].Scheduler.ConnectionMode);
        Assert.Equal(SshCredentialsType.SshService, s.SshCredentials.Type);
    }

    [Fact]
    public void Probing_interval_alias_and_legacy_service_names_are_accepted()
    {
        var yaml = Snake.Replace("probing: {interval_check: 30, services: {ssh: {timeout: 2}}}",
            "probing: {interval: 45, services: {filesystems: {timeout: 3}, storage: {timeout: 4}, scheduler: {}, gpu: {timeout: 1}}}");

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        var p = result.Settings.Clusters[0].Probing;
        Assert.Equal(45, p.IntervalCheck);
        Assert.Equal(3, p.Services![HealthServiceType.Filesystem].Timeout);
        Assert.Equal(4, p.Services[HealthServiceType.S3].Timeout);
        Assert.Equal(10, p.Services[HealthServiceType.Scheduler].Timeout);
        Assert.Equal(3, p.Services.Count);
        Assert.Equal(["clusters[0].probing.services.gpu: unknown service kind (expected ssh, scheduler, filesystem or s3), ignored"], result.Warnings);
    }

    [Fact]
    public void Keys_of_another_discriminated_variant_are_ignored_with_a_warning()
    {
        var yaml = Snake.Replace("  max_connections: 7", "  max_connections: 7\n  keys: {u: {private_key: k}}")
            .Replace("      access_key_id: a", "      access_key_id: a\n      port_range: [1, 2]");

        var result = FirecrestConfigLoader.LoadFromYaml(yaml);

        Assert.Empty(result.Settings.SshCredentials.Keys);
        Assert.Equal(
            ["ssh_credentials.keys: not used when type is 'SSHService', ignored",
             "clusters[0].data_operation.data_transfer.port_range: not used when service_type is 's3', ignored"],
            result.Warnings);
    }

    [Fact]
    public void Ssh_ca_credentials_are_read_by_their_type()
    {
        var yaml = Snake.Replace("type: SSHService", "type: SSHCA");

        var s = FirecrestConfigLoader.LoadFromYaml(yaml).Settings;

        Assert.Equal(SshCredentialsType.SshCa, s.SshCredentials.Type);
        Assert.Equal("http://127.0.0.1:5000", s.SshCredentials.Url);
    }

    /// <summary>The snake_case sample, for other tests in this folder.</summary>
    internal static string ValidSnakeConfig => Snake;
}
