using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Firecrest.Bench;

/// <summary>
/// Two server replicas sharing our own redis-server behind HAProxy, started by deploy/testenv/replicas.sh in a temporary
/// directory on free loopback ports, with the bench's rate limit; disposing runs <c>replicas.sh down</c> (stops every
/// process by its PID) and removes the directory.
/// </summary>
public sealed class ReplicaSetProcess : IAsyncDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;
    private readonly string _dir;

    private ReplicaSetProcess(string script, Dictionary<string, string> environment, string dir, int port)
    {
        _script = script;
        _environment = environment;
        _dir = dir;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>HAProxy's URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Starts <paramref name="replicas"/> replicas of <paramref name="serverPath"/> on <paramref name="yamlConfig"/>.</summary>
    public static async Task<ReplicaSetProcess> StartAsync(string serverPath, string yamlConfig, int replicas, CancellationToken ct)
    {
        // The server may be a publish output anywhere (build.ps1 bench uses artifacts/bench-server): the script is the repository's.
        var script = Path.Combine(ServerLocator.RepositoryRoot(), "deploy", "testenv", "replicas.sh");
        if (!File.Exists(script)) throw new FileNotFoundException($"no {script} in the repository");
        var dir = Directory.CreateTempSubdirectory("firecrest-bench-replicas-").FullName;
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["REPLICAS"] = replicas.ToString(CultureInfo.InvariantCulture),
            ["REPLICAS_DIR"] = dir,
            ["FIRECREST_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["REDIS_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["REPLICA_PORTS"] = string.Join(' ', Enumerable.Range(0, replicas).Select(_ => FreePort())),
            ["YAML_CONFIG_FILE"] = yamlConfig,
            ["SERVER_DLL"] = serverPath,
            ["Server__RateLimitPerSecond"] = ServerProcess.BenchRateLimit.ToString(CultureInfo.InvariantCulture),
            ["Server__RateLimitBurst"] = ServerProcess.BenchRateLimit.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var set = new ReplicaSetProcess(script, environment, dir, port);
        try
        {
            await set.RunAsync("up", ct);
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills replica <paramref name="n"/> (SIGKILL by the PID replicas.sh wrote).</summary>
    public void KillReplica(int n)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, $"replica-{n}.pid")).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        // The process name: dotnet running the DLL, or the native server's name cut to 15 characters.
        var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
        if (comm is not ("dotnet" or "Firecrest.Serve")) throw new InvalidOperationException($"pid {pid} ({comm}) is not a replica");
        process.Kill();
        process.WaitForExit(30_000);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("down", CancellationToken.None);
        }
        finally
        {
            try { Directory.Delete(_dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task RunAsync(string action, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(_script);
        psi.ArgumentList.Add(action);
        foreach (var (name, value) in _environment) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"replicas.sh {action} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
