using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Tests.Support;
using ModelContextProtocol.Client;

namespace Firecrest.Integration.Tests.Replicas;

/// <summary>
/// Two real server processes sharing our own redis-server, behind HAProxy, started by deploy/testenv/replicas.sh in a
/// temporary directory on the local cluster's configuration. Ports: <c>REPLICA_TEST_HAPROXY_PORT</c>,
/// <c>REPLICA_TEST_REDIS_PORT</c>, <c>REPLICA_TEST_PORTS</c> (two, space-separated), else free ones. Disposing runs
/// <c>replicas.sh down</c>, which stops every process by the PIDs it wrote, and removes the directory.
/// </summary>
public class ReplicaSet : IAsyncLifetime
{
    private readonly LiveServer _tokens = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("firecrest-replicas-").FullName;
    private readonly int[] _ports = Ports("REPLICA_TEST_PORTS", 2);

    /// <summary>The local cluster.</summary>
    public TestCluster Cluster { get; } = TestCluster.Current;

    /// <summary>The system name of the demo configuration.</summary>
    public string System => "cluster";

    /// <summary>HAProxy's port, in front of both replicas.</summary>
    public int Port { get; } = Ports("REPLICA_TEST_HAPROXY_PORT", 1)[0];

    /// <summary>Our Redis's port.</summary>
    public int RedisPort { get; } = Ports("REPLICA_TEST_REDIS_PORT", 1)[0];

    /// <summary>The balanced URL (HAProxy).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>The URL of replica <paramref name="n"/> (1 or 2), bypassing HAProxy.</summary>
    public Uri ReplicaUrl(int n) => new($"http://127.0.0.1:{_ports[n - 1]}");

    /// <summary>
    /// Extra environment of the replicas. By default a per-user limit no load test reaches (its own test uses
    /// <see cref="RateLimitedReplicaSet"/>).
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Server__RateLimitBurst"] = "100000",
        ["Server__RateLimitPerSecond"] = "100000",
    };

    /// <inheritdoc/>
    public Task InitializeAsync() => RunScriptAsync("up");

    /// <summary>Starts again whatever was stopped (a killed replica, Redis) and waits until everything answers.</summary>
    public Task RestoreAsync() => RunScriptAsync("up");

    /// <summary>Kills replica <paramref name="n"/> at once (SIGKILL by its pid), as when its machine dies.</summary>
    public void KillReplica(int n) => Kill($"replica-{n}", "dotnet");

    /// <summary>Kills our Redis at once (SIGKILL by its pid).</summary>
    public void KillRedis() => Kill("redis", "redis-server");

    /// <summary>An HTTP client of <paramref name="baseUrl"/> that sends a token of <paramref name="user"/>.</summary>
    public async Task<HttpClient> ClientForAsync(Uri baseUrl, string user = "fireuser")
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.TokenAsync(user));
        return client;
    }

    /// <summary>An MCP client of <paramref name="baseUrl"/>/mcp acting as <paramref name="user"/>.</summary>
    public async Task<McpClient> McpClientForAsync(Uri baseUrl, string user = "fireuser")
    {
        var http = await ClientForAsync(baseUrl, user);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(baseUrl, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }, http, ownsHttpClient: true);
        // A slow first answer under load must not end the version probe: the SDK's fallback after a 5 s probe timeout
        // keeps the probe's version header on initialize, which the server refuses.
        return await McpClient.CreateAsync(transport, new McpClientOptions { DiscoverProbeTimeout = TimeSpan.FromSeconds(30) });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        try
        {
            await RunScriptAsync("down");
        }
        finally
        {
            await _tokens.DisposeAsync();
            try { Directory.Delete(_dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private void Kill(string name, string comm)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, name + ".pid")).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        Assert.Equal(comm, File.ReadAllText($"/proc/{pid}/comm").Trim());
        process.Kill();
        Assert.True(process.WaitForExit(30_000), $"{name} (pid {pid}) did not die");
    }

    private async Task RunScriptAsync(string action)
    {
        // The test runs from tests/Integration.Tests/bin/<Configuration>/net10.0: use the server of the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = RepositoryRoot.Combine("src", "Server", "bin", configuration, "net10.0", "Firecrest.Server.dll");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(RepositoryRoot.Combine("deploy", "testenv", "replicas.sh"));
        psi.ArgumentList.Add(action);
        psi.Environment["REPLICAS"] = "2";
        psi.Environment["REPLICAS_DIR"] = _dir;
        psi.Environment["FIRECREST_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        psi.Environment["REDIS_PORT"] = RedisPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment["REPLICA_PORTS"] = string.Join(' ', _ports);
        psi.Environment["YAML_CONFIG_FILE"] = Cluster.ConfigPath;
        psi.Environment["SERVER_DLL"] = dll;
        foreach (var (name, value) in Settings) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var tail = ProcessOutputTail.Attach(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"replicas.sh {action} did not finish within 4 minutes: {tail.Text()}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"replicas.sh {action} failed ({process.ExitCode}): {tail.Text()}");
    }

    private static int[] Ports(string variable, int count)
    {
        var given = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(given))
            return given.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return Enumerable.Range(0, count).Select(_ => LoopbackPort.Free()).ToArray();
    }
}

/// <summary>Two replicas with a small per-user rate limit (burst 30, 1 a second), for the shared-limit test alone.</summary>
public sealed class RateLimitedReplicaSet : ReplicaSet
{
    /// <summary>Burst of each user's bucket.</summary>
    public const int Burst = 30;

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Server__RateLimitBurst"] = Burst.ToString(CultureInfo.InvariantCulture),
        ["Server__RateLimitPerSecond"] = "1",
    };
}
