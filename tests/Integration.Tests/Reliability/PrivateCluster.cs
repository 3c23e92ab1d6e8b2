using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Reliability;

/// <summary>
/// Private instances of sshd, s3rver and the OIDC issuer on free loopback ports, started and stopped by this test
/// only (by process id), so fault tests never touch the shared cluster services. sshd uses the cluster's host keys and
/// users; s3rver its own data folder; the issuer its own key file. <see cref="ConfigPath"/> is the demo configuration
/// rendered for these ports.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly Dictionary<string, Process> _running = [];

    private PrivateCluster(string dir)
    {
        Dir = dir;
        SshPort = LoopbackPort.Free();
        S3Port = LoopbackPort.Free();
        OidcPort = LoopbackPort.Free();
    }

    /// <summary>Folder of this instance's files.</summary>
    public string Dir { get; }

    /// <summary>Port of the private sshd.</summary>
    public int SshPort { get; }

    /// <summary>Port of the private s3rver.</summary>
    public int S3Port { get; }

    /// <summary>Port of the private OIDC issuer.</summary>
    public int OidcPort { get; }

    /// <summary>Issuer URL of the private OIDC issuer.</summary>
    public string OidcIssuer => $"http://127.0.0.1:{OidcPort}";

    /// <summary>The rendered configuration.</summary>
    public string ConfigPath => Path.Combine(Dir, "firecrest.yaml");

    /// <summary>Starts the three services and renders the configuration (<paramref name="intervalCheck"/> = probing interval).</summary>
    public static async Task<PrivateCluster> StartAsync(int intervalCheck)
    {
        var dir = Directory.CreateTempSubdirectory("firecrest-reliab-").FullName;
        var cluster = new PrivateCluster(dir);
        cluster.Render(intervalCheck);
        await cluster.StartSshdAsync();
        await cluster.StartS3rverAsync();
        await cluster.StartOidcAsync();
        return cluster;
    }

    private static TestCluster Shared => TestCluster.Current;

    private void Render(int intervalCheck)
    {
        var env = Shared;
        var yaml = File.ReadAllText(env.ConfigPath);
        var knownHosts = Path.Combine(Dir, "known_hosts");
        File.WriteAllLines(knownHosts, File.ReadAllLines(env["SSH_KNOWN_HOSTS"])
            .Select(l => l.Replace($"[127.0.0.1]:{env["SSH_PORT"]}", $"[127.0.0.1]:{SshPort}", StringComparison.Ordinal)));
        yaml = yaml.Replace($"port: {env["SSH_PORT"]}", $"port: {SshPort}", StringComparison.Ordinal)
            .Replace(env["SSH_KNOWN_HOSTS"], knownHosts, StringComparison.Ordinal)
            .Replace(env["S3_URL"], $"http://127.0.0.1:{S3Port}", StringComparison.Ordinal)
            .Replace(env["OIDC_ISSUER"], OidcIssuer, StringComparison.Ordinal)
            .Replace("interval_check: 60", $"interval_check: {intervalCheck}", StringComparison.Ordinal)
            .Replace("    min_token_ttl: 30\n", "    min_token_ttl: 30\n    jwks_refresh_interval: 1\n", StringComparison.Ordinal);
        if (!yaml.Contains($"port: {SshPort}", StringComparison.Ordinal) || !yaml.Contains("jwks_refresh_interval: 1", StringComparison.Ordinal))
            throw new InvalidOperationException("the demo configuration no longer has the expected shape; update PrivateCluster.Render");
        File.WriteAllText(ConfigPath, yaml);
    }

    /// <summary>Starts (or restarts) the private sshd and waits until it accepts connections.</summary>
    public async Task StartSshdAsync()
    {
        var source = Path.Combine(Path.GetDirectoryName(Shared["SSH_KNOWN_HOSTS"])!, "sshd_config");
        var config = Path.Combine(Dir, "sshd_config");
        File.WriteAllLines(config, File.ReadAllLines(source).Select(l =>
            l.StartsWith("Port ", StringComparison.Ordinal) ? $"Port {SshPort}"
            : l.StartsWith("PidFile ", StringComparison.Ordinal) ? $"PidFile {Path.Combine(Dir, "sshd.pid")}"
            : l));
        Start("sshd", new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-f", config, "-E", Path.Combine(Dir, "sshd.log")]));
        await WaitListeningAsync(SshPort, "sshd");
    }

    /// <summary>Starts (or restarts) the private s3rver on its data folder.</summary>
    public async Task StartS3rverAsync()
    {
        var data = Directory.CreateDirectory(Path.Combine(Dir, "s3data")).FullName;
        var node = NodeFolder();
        Start("s3rver", new ProcessStartInfo("node",
            [Path.Combine(node, "node_modules", "s3rver", "bin", "s3rver.js"), "-d", data, "-a", "127.0.0.1", "-p", S3Port.ToString(), "--silent"]));
        await WaitListeningAsync(S3Port, "s3rver");
    }

    /// <summary>Starts (or restarts) the private OIDC issuer with its own key file (same key across restarts).</summary>
    public async Task StartOidcAsync()
    {
        var node = NodeFolder();
        var psi = new ProcessStartInfo("node", [Path.Combine(node, "oidc-issuer.mjs")]) { WorkingDirectory = node };
        psi.Environment["OIDC_HOST"] = "127.0.0.1";
        psi.Environment["OIDC_PORT"] = OidcPort.ToString();
        psi.Environment["OIDC_ISSUER"] = OidcIssuer;
        psi.Environment["OIDC_AUDIENCE"] = Shared["OIDC_AUDIENCE"];
        psi.Environment["OIDC_KEY_FILE"] = Path.Combine(Dir, "oidc-key.json");
        Start("oidc", psi);
        await WaitListeningAsync(OidcPort, "oidc");
    }

    /// <summary>Kills a private service and every process it started (sshd: its sessions too).</summary>
    public async Task KillAsync(string service)
    {
        if (!_running.Remove(service, out var p)) return;
        try
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        finally
        {
            p.Dispose();
        }
    }

    /// <summary>True when something accepts TCP connections on <paramref name="port"/>.</summary>
    public static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Start(string name, ProcessStartInfo psi)
    {
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {name}");
        var log = File.AppendText(Path.Combine(Dir, name + ".out"));
        log.AutoFlush = true;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _running[name] = p;
    }

    private async Task WaitListeningAsync(int port, string name)
    {
        var sw = Stopwatch.StartNew();
        while (!await ListensAsync(port))
        {
            if (_running[name].HasExited || sw.Elapsed > TimeSpan.FromSeconds(20))
                throw new InvalidOperationException($"private {name} did not listen on {port}; see {Dir}/{name}.out");
            await Task.Delay(20);
        }
    }

    /// <summary>deploy/testenv with node_modules: this checkout's, else the main checkout's.</summary>
    private static string NodeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "testenv");
            if (Directory.Exists(Path.Combine(candidate, "node_modules", "s3rver"))) return candidate;
        }
        const string main = "/work/main/deploy/testenv";
        return Directory.Exists(Path.Combine(main, "node_modules", "s3rver")) ? main
            : throw new InvalidOperationException("deploy/testenv/node_modules missing: run npm ci in deploy/testenv");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var name in _running.Keys.ToList()) await KillAsync(name);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
