using System.Security.Cryptography;
using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.DataTransfer.Streamer;

/// <summary>
/// The demo system "streamer" of the local cluster (the same login node and Slurm as "cluster", data transfer
/// <c>streamer</c>; the transfer jobs run the streamer program that build.ps1 build publishes at STREAMER_PATH):
/// the direct engine with the inbound limit lowered to 8 MiB, a second engine whose jobs wait only 5 s for a client,
/// and the real server in process. A remote and a local directory per fixture and the jobs' log files are removed at
/// the end.
/// </summary>
public sealed class StreamerClusterFixture : IAsyncLifetime
{
    public const long InboundLimit = 8L * 1024 * 1024;
    public const int ShortWaitSeconds = 5;
    public const string Prefix = "f7t-st-";

    private readonly List<TransferJob> _jobs = [];
    private readonly HttpClient _tokenHttp = new();
    private EngineHost? _host;
    private EngineHost? _shortWaitHost;

    public TestCluster Cluster { get; } = TestCluster.Current;

    public string System => Cluster.Get("STREAMER_SYSTEM") ?? "streamer";

    public string Account => Cluster["SLURM_ACCOUNT"];

    public IHpcOperations Ops { get; private set; } = null!;

    public IHpcOperations ShortWaitOps { get; private set; } = null!;

    public LiveServer Live { get; } = new();

    public FirecrestClient Remote { get; private set; } = null!;

    public string RemoteDir { get; } = $"/home/fireuser/{Prefix}{Guid.NewGuid():N}";

    public string LocalDir { get; } = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var streamerPath = Cluster.Get("STREAMER_PATH");
        Assert.True(streamerPath is not null && File.Exists(streamerPath),
            $"The streamer program is not at STREAMER_PATH ({streamerPath ?? "unset"}): run build.ps1 build after cluster up.");
        _host = EngineHost.Create(Load(dt => dt.InboundTransferLimit = InboundLimit));
        _shortWaitHost = EngineHost.Create(Load(dt => dt.WaitTimeout = ShortWaitSeconds));
        Ops = _host.Engine.ForUser(new UserIdentity("fireuser"));
        ShortWaitOps = _shortWaitHost.Engine.ForUser(new UserIdentity("fireuser"));
        var http = Live.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(2);
        // Tokens live 5 minutes on the local issuer: a provider that fetches a new one when needed.
        var tokens = new OidcClientCredentialsTokenProvider(_tokenHttp, Cluster["OIDC_TOKEN_URL"], Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]);
        Remote = new FirecrestClient(http.BaseAddress!, tokens, new FirecrestClientOptions { HttpClient = http });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Ops.Files.MakeDirectoryAsync(System, RemotePath.Parse(RemoteDir), cancellationToken: cts.Token);
        Directory.CreateDirectory(LocalDir);
    }

    private FirecrestSettings Load(Action<DataTransferSettings> patch)
    {
        var settings = FirecrestConfigLoader.Load(Cluster.ConfigPath).Settings;
        patch(settings.Clusters.Single(c => c.Name == System).DataOperation.DataTransfer!);
        return settings;
    }

    /// <summary>Its log files are removed at the end.</summary>
    public TransferJob Track(TransferJob job)
    {
        lock (_jobs) _jobs.Add(job);
        return job;
    }

    /// <summary>The job once final (polling the real scheduler; generous bound for a loaded machine).</summary>
    public async Task<Job> WaitEndedAsync(IHpcOperations ops, TransferJob job, CancellationToken ct)
    {
        Track(job);
        var result = await new JobWaiter(ops).WaitAsync(System, job.JobId, new JobWaitOptions
        {
            Poll = new Backoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2), 1.5),
            Timeout = TimeSpan.FromMinutes(3),
            NotListedGrace = TimeSpan.FromSeconds(60),
        }, ct);
        Assert.False(result.TimedOut, $"transfer job {job.JobId} did not end within 3 minutes");
        return result.Job!;
    }

    /// <summary>A local file of <paramref name="size"/> random bytes.</summary>
    public string NewLocalFile(long size)
    {
        var path = Path.Combine(LocalDir, $"{Guid.NewGuid():N}.bin");
        var bytes = RandomNumberGenerator.GetBytes((int)size);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string NewRemotePath() => $"{RemoteDir}/{Guid.NewGuid():N}.bin";

    public static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f)).ToLowerInvariant();
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        List<TransferJob> jobs;
        lock (_jobs) jobs = [.. _jobs];
        foreach (var path in jobs.SelectMany(j => new[] { j.Logs.OutputLog, j.Logs.ErrorLog }).Where(p => p.StartsWith('/')).Append(RemoteDir))
        {
            try
            {
                await Ops.Files.RemoveAsync(System, RemotePath.Parse(path), cts.Token);
            }
            catch (HpcException)
            {
                // already gone
            }
        }
        try { Directory.Delete(LocalDir, recursive: true); } catch (IOException) { }
        Remote?.Dispose();
        _tokenHttp.Dispose();
        await Live.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
        if (_shortWaitHost is not null) await _shortWaitHost.DisposeAsync();
    }
}
