using System.Globalization;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Configuration;

/// <summary>
/// Start-up checks of a mapped configuration. Every problem names its key path and why, e.g.
/// <c>clusters[0].ssh.timeout.idle_timeout must be greater than command_execution (5 ≤ 10)</c>.
/// </summary>
internal sealed class FirecrestSettingsValidator
{
    private static readonly HashSet<string> TokenAuthMethods = ["client_secret_basic", "client_secret_post"];

    private readonly ISet<string> _present;
    private readonly List<string> _errors = [];

    private FirecrestSettingsValidator(ISet<string> present) => _present = present;

    /// <summary>Returns every problem of <paramref name="settings"/>; empty when it is usable.</summary>
    /// <param name="settings">The mapped settings (cluster names already lower-cased).</param>
    /// <param name="present">Canonical paths of the keys that were present in the YAML.</param>
    /// <param name="clusterPaths">Path label of each cluster, in order.</param>
    public static List<string> Validate(FirecrestSettings settings, ISet<string> present, IReadOnlyList<string> clusterPaths)
    {
        var v = new FirecrestSettingsValidator(present);
        v.CheckAuth(settings.Auth);
        v.CheckSshCredentials(settings.SshCredentials);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Clusters.Count; i++)
        {
            var label = i < clusterPaths.Count ? clusterPaths[i] : $"clusters[{i}]";
            var cluster = settings.Clusters[i];
            v.CheckCluster(cluster, label);
            if (cluster.Name.Length == 0) continue;
            if (names.TryGetValue(cluster.Name, out var first))
                v._errors.Add($"{label}.name '{cluster.Name}' is used twice (also {first}.name; names are compared in lower case)");
            else
                names[cluster.Name] = label;
        }
        return v._errors;
    }

    private void CheckAuth(AuthSettings auth)
    {
        var a = auth.Authentication;
        RequireUrl(a.TokenUrl, "auth.authentication.token_url", required: true);
        if (!TokenAuthMethods.Contains(a.TokenEndpointAuthMethod))
            _errors.Add($"auth.authentication.token_endpoint_auth_method must be client_secret_basic or client_secret_post (got '{a.TokenEndpointAuthMethod}')");
        for (var i = 0; i < a.PublicCerts.Count; i++)
            RequireUrl(a.PublicCerts[i], $"auth.authentication.public_certs[{i}]", required: true, allowFile: true);
        if (string.IsNullOrWhiteSpace(a.UsernameClaim)) _errors.Add("auth.authentication.username_claim must not be empty");
        if (a.MinTokenTtl < 0) _errors.Add($"auth.authentication.min_token_ttl must not be negative (got {a.MinTokenTtl})");
        if (a.JwksRefreshInterval <= 0) _errors.Add($"auth.authentication.jwks_refresh_interval must be greater than 0 (got {a.JwksRefreshInterval})");
        if (auth.Authorization is { } z)
        {
            RequireUrl(z.Url, "auth.authorization.url", required: true);
            Positive(z.Timeout, "auth.authorization.timeout");
            Positive(z.MaxConnections, "auth.authorization.max_connections");
        }
    }

    private void CheckSshCredentials(SshCredentialsSettings c)
    {
        const string p = "ssh_credentials";
        switch (c.Type)
        {
            case SshCredentialsType.SshService:
                RequireUrl(c.Url, $"{p}.url", required: true);
                break;
            case SshCredentialsType.SshCa:
                RequireUrl(c.Url, $"{p}.url", required: string.IsNullOrEmpty(c.CaPrivateKey));
                if (c.CaPrivateKey is { Length: > 0 } ca && !File.Exists(ca)) _errors.Add($"{p}.ca_private_key: file '{ca}' does not exist");
                Positive(c.CertificateLifetime, $"{p}.certificate_lifetime");
                break;
            case SshCredentialsType.SshStaticKeys:
                foreach (var (user, key) in c.Keys)
                    if (string.IsNullOrWhiteSpace(key.PrivateKey)) _errors.Add($"{p}.keys.{user}.private_key is required");
                break;
        }
        Positive(c.MaxConnections, $"{p}.max_connections");
    }

    private void CheckCluster(ClusterSettings c, string p)
    {
        if (string.IsNullOrWhiteSpace(c.Name)) _errors.Add($"{p}.name is required");
        else if (c.Name.Any(ch => ch == '/' || char.IsWhiteSpace(ch) || char.IsControl(ch)))
            _errors.Add($"{p}.name '{c.Name}' must not contain '/', spaces or control characters (it is part of URLs)");
        CheckSsh(c.Ssh, $"{p}.ssh");
        CheckScheduler(c.Scheduler, $"{p}.scheduler");
        CheckProbing(c, p);
        for (var i = 0; i < c.FileSystems.Count; i++)
        {
            var fs = c.FileSystems[i];
            var fp = $"{p}.file_systems[{i}]";
            if (string.IsNullOrEmpty(fs.Path)) _errors.Add($"{fp}.path is required");
            else if (!fs.Path.StartsWith('/')) _errors.Add($"{fp}.path must be an absolute path (got '{fs.Path}')");
        }
        CheckDataOperation(c.DataOperation, $"{p}.data_operation");
    }

    private void CheckSsh(SshSettings s, string p)
    {
        if (!_present.Contains($"{p}.host") || string.IsNullOrWhiteSpace(s.Host)) _errors.Add($"{p}.host is required");
        if (!_present.Contains($"{p}.port")) _errors.Add($"{p}.port is required");
        else Port(s.Port, $"{p}.port");
        if (s.ProxyPort is { } pp) Port(pp, $"{p}.proxy_port");
        if (s.ProxyPort is not null && string.IsNullOrWhiteSpace(s.ProxyHost)) _errors.Add($"{p}.proxy_host is required when proxy_port is set");
        Positive(s.MaxClients, $"{p}.max_clients");
        Positive(s.MaxSessionsPerConnection, $"{p}.max_sessions_per_connection");
        var t = s.Timeout;
        var tp = $"{p}.timeout";
        Positive(t.Connection, $"{tp}.connection");
        Positive(t.Login, $"{tp}.login");
        Positive(t.CommandExecution, $"{tp}.command_execution");
        Positive(t.IdleTimeout, $"{tp}.idle_timeout");
        Positive(t.KeepAlive, $"{tp}.keep_alive");
        if (t.IdleTimeout <= t.CommandExecution)
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{tp}.idle_timeout must be greater than command_execution ({t.IdleTimeout} <= {t.CommandExecution})"));
        if (s.KnownHostsFile is { Length: > 0 } kh && !File.Exists(kh)) _errors.Add($"{p}.known_hosts_file: file '{kh}' does not exist");
    }

    private void CheckScheduler(SchedulerSettings s, string p)
    {
        if (!_present.Contains($"{p}.type")) _errors.Add($"{p}.type is required (slurm or pbs)");
        if (string.IsNullOrWhiteSpace(s.Version)) _errors.Add($"{p}.version is required");
        if (s.ConnectionMode is SchedulerConnectionMode.Rest or SchedulerConnectionMode.Hybrid)
        {
            var mode = s.ConnectionMode.ToString().ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(s.ApiUrl)) _errors.Add($"{p}.api_url is required when connection_mode is {mode}");
            if (s.Type == SchedulerType.Pbs) _errors.Add($"{p}.connection_mode must be ssh for pbs (got {mode})");
        }
        RequireUrl(s.ApiUrl, $"{p}.api_url", required: false);
        Positive(s.Timeout, $"{p}.timeout");
        if (s.JwtKeyFile is { Length: > 0 } jf && !File.Exists(jf)) _errors.Add($"{p}.jwt_key_file: file '{jf}' does not exist");
    }

    private void CheckProbing(ClusterSettings c, string p)
    {
        if (!_present.Contains($"{p}.probing")) _errors.Add($"{p}.probing is required (it may be empty)");
        Positive(c.Probing.IntervalCheck, $"{p}.probing.interval_check");
        foreach (var (kind, probe) in c.Probing.Services ?? [])
            Positive(probe.Timeout, $"{p}.probing.services.{WireNames.Of(kind)}.timeout");
        if (c.Probing.Services is { Count: > 0 })
        {
            if (c.ServiceAccount is null)
                _errors.Add($"{p}.service_account is required when probing.services is set (the health checker signs in with it)");
            else if (string.IsNullOrWhiteSpace(c.ServiceAccount.ClientId))
                _errors.Add($"{p}.service_account.client_id is required");
        }
    }

    private void CheckDataOperation(DataOperationSettings d, string p)
    {
        Positive(d.MaxOpsFileSize, $"{p}.max_ops_file_size");
        if (d.DataTransfer is not { } t) return;
        var tp = $"{p}.data_transfer";
        switch (t.ServiceType)
        {
            case TransferMethod.S3:
                RequireUrl(t.PrivateUrl, $"{tp}.private_url", required: true);
                RequireUrl(t.PublicUrl, $"{tp}.public_url", required: true);
                if (string.IsNullOrWhiteSpace(t.AccessKeyId)) _errors.Add($"{tp}.access_key_id is required");
                if (string.IsNullOrWhiteSpace(t.Region)) _errors.Add($"{tp}.region must not be empty");
                Positive(t.Ttl, $"{tp}.ttl");
                Positive(t.WaitTimeout, $"{tp}.wait_timeout");
                Positive(t.Multipart.MaxPartSize, $"{tp}.multipart.max_part_size");
                Positive(t.Multipart.ParallelRuns, $"{tp}.multipart.parallel_runs");
                if (string.IsNullOrWhiteSpace(t.Multipart.TmpFolder)) _errors.Add($"{tp}.multipart.tmp_folder must not be empty");
                Positive(t.BucketLifecycleConfiguration.Days, $"{tp}.bucket_lifecycle_configuration.days");
                break;
            case TransferMethod.Streamer:
                if (t.PortRange.Count != 2) _errors.Add($"{tp}.port_range must be two ports [first, last] (got {t.PortRange.Count} values)");
                else
                {
                    Port(t.PortRange[0], $"{tp}.port_range[0]");
                    Port(t.PortRange[1], $"{tp}.port_range[1]");
                    if (t.PortRange[0] > t.PortRange[1]) _errors.Add($"{tp}.port_range must not end before it starts ({t.PortRange[0]} > {t.PortRange[1]})");
                }
                Positive(t.WaitTimeout, $"{tp}.wait_timeout");
                Positive(t.InboundTransferLimit, $"{tp}.inbound_transfer_limit");
                if (t.StreamerPath is { Length: > 0 } sp && !sp.StartsWith('/')) _errors.Add($"{tp}.streamer_path must be an absolute path (got '{sp}')");
                RequireUrl(t.PypiIndexUrl, $"{tp}.pypi_index_url", required: false);
                break;
        }
    }

    private void RequireUrl(string? value, string path, bool required, bool allowFile = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) _errors.Add($"{path} is required");
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || (allowFile && uri.Scheme == Uri.UriSchemeFile)))
            _errors.Add($"{path} must be an absolute {(allowFile ? "http(s) or file" : "http(s)")} URL (got '{value}')");
    }

    private void Positive(double value, string path)
    {
        if (!(value > 0)) _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path} must be greater than 0 (got {value})"));
    }

    private void Port(int value, string path)
    {
        if (value is < 1 or > 65535) _errors.Add($"{path} must be a port number between 1 and 65535 (got {value})");
    }
}
