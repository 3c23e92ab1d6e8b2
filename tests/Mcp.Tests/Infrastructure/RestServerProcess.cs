using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrest.Tests.Support;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>
/// The real REST server (<see cref="ServerBinary"/>: the built <c>Firecrest.Server.dll</c>, or the native server) as its own process on a free
/// loopback port, configured by the local cluster's demo YAML; share one per test class with <c>IClassFixture</c>.
/// </summary>
public sealed class RestServerProcess : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? _process;
    private ProcessOutputTail? _tail;

    /// <summary>The browser origin the server's <c>Mcp:AllowedOrigins</c> lists.</summary>
    public const string AllowedOrigin = "http://allowed.example:3000";

    /// <summary>The local cluster.</summary>
    public TestCluster Cluster { get; } = TestCluster.Current;

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The last lines the server wrote (for failure messages).</summary>
    public string Tail() => _tail?.Text() ?? "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        BaseUrl = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var psi = ServerBinary.StartInfo();
        psi.Environment["YAML_CONFIG_FILE"] = Cluster.ConfigPath;
        psi.Environment["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/');
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The one browser origin /mcp accepts (McpAuthorizationTests).
        psi.Environment["Mcp__AllowedOrigins__0"] = AllowedOrigin;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("the server did not start");
        _tail = ProcessOutputTail.Attach(_process);

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Tail()}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"the server did not answer /status/liveness/ within 90 s:\n{Tail()}");
            try
            {
                using var resp = await Http.GetAsync(new Uri(BaseUrl, "status/liveness/"));
                if (resp.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
    }

    /// <summary>A fresh access token of the demo client of <paramref name="user"/> (fireuser or fireuser2).</summary>
    public async Task<string> TokenAsync(string user = "fireuser")
    {
        var (id, secret) = ClientOf(user);
        using var req = new HttpRequestMessage(HttpMethod.Post, Cluster["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        using var resp = await Http.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>An MCP client on <c>/mcp</c> with <paramref name="token"/> (default: a fresh one of fireuser), speaking <paramref name="protocolVersion"/> when given.</summary>
    public async Task<ModelContextProtocol.Client.McpClient> McpClientAsync(string? token = null, string? protocolVersion = null, CancellationToken cancellationToken = default) =>
        await ModelContextProtocol.Client.McpClient.CreateAsync(new ModelContextProtocol.Client.HttpClientTransport(new ModelContextProtocol.Client.HttpClientTransportOptions
        {
            Endpoint = new Uri(BaseUrl, "mcp"), TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token ?? await TokenAsync()}" },
        }), new ModelContextProtocol.Client.McpClientOptions { ProtocolVersion = protocolVersion, DiscoverProbeTimeout = DiscoverProbeTimeout },
            cancellationToken: cancellationToken);

    /// <summary>
    /// How long a client without a pinned version waits for its <c>server/discover</c> probe. The SDK's 5 s default
    /// ran out once under CI load; the client then fell back to <c>initialize</c> while still sending the probe's
    /// <c>MCP-Protocol-Version</c> header, and the server refused the mismatch with 400.
    /// </summary>
    public static readonly TimeSpan DiscoverProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The demo OIDC client (id, secret) of <paramref name="user"/>.</summary>
    public (string Id, string Secret) ClientOf(string user) => user switch
    {
        "fireuser" => (Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]),
        "fireuser2" => (Cluster["DEMO_CLIENT2_ID"], Cluster["DEMO_CLIENT2_SECRET"]),
        _ => throw new ArgumentException($"no demo client for {user}"),
    };

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        _process.Dispose();
    }
}
