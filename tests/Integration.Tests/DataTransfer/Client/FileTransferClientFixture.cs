using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Engine;
using Firecrest.Core.Operations;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.DataTransfer.Client;

/// <summary>
/// The direct engine on the demo configuration of the local cluster (multipart part size lowered to 8 MiB so that
/// a 64 MiB file has 8 parts), acting as fireuser; a remote directory under /home/fireuser and a local temporary
/// directory per fixture, both removed at the end together with the staged S3 objects of these tests.
/// </summary>
public sealed class FileTransferClientFixture : IAsyncLifetime
{
    public const long PartSize = 8L * 1024 * 1024;
    public const string Prefix = "f7t-mv-";

    /// <summary>Prefix of the remote file names of THIS fixture: the direct and the remote fixtures run in parallel and
    /// stage objects in the same bucket, so each cleans up only its own.</summary>
    public string NamePrefix { get; } = Prefix + Guid.NewGuid().ToString("N")[..8] + "-";

    private EngineHost? _host;

    public IHpcOperations Ops { get; private set; } = null!;

    public FirecrestSettings Settings { get; private set; } = null!;

    public string System { get; private set; } = "";

    public string Account => TestCluster.Current["SLURM_ACCOUNT"];

    public long MaxOpsFileSize { get; private set; }

    public string RemoteDir { get; private set; } = "";

    public string LocalDir { get; } = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Settings = FirecrestConfigLoader.Load(TestCluster.Current.ConfigPath).Settings;
        var cluster = Settings.Clusters[0];
        cluster.DataOperation.DataTransfer!.Multipart.MaxPartSize = PartSize;
        System = cluster.Name;
        MaxOpsFileSize = cluster.DataOperation.MaxOpsFileSize;
        _host = EngineHost.Create(Settings);
        Ops = _host.Engine.ForUser(new UserIdentity("fireuser"));
        RemoteDir = $"/home/fireuser/{Prefix}{Guid.NewGuid():N}";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Ops.Files.MakeDirectoryAsync(System, RemotePath.Parse(RemoteDir), cancellationToken: cts.Token);
        Directory.CreateDirectory(LocalDir);
    }

    /// <summary>A local file of <paramref name="size"/> random bytes.</summary>
    public string NewLocalFile(long size, string? name = null)
    {
        var path = Path.Combine(LocalDir, name ?? $"{Guid.NewGuid():N}.bin");
        using var f = File.Create(path);
        var buffer = new byte[1 << 20];
        for (long left = size; left > 0; left -= buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            f.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
        return path;
    }

    public static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f)).ToLowerInvariant();
    }

    public async Task DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Ops.Files.RemoveAsync(System, RemotePath.Parse(RemoteDir), cts.Token);
        }
        catch (HpcException)
        {
            // already gone
        }
        await RemoveStagedObjectsAsync();
        try { Directory.Delete(LocalDir, recursive: true); } catch (IOException) { }
        if (_host is not null) await _host.DisposeAsync();
    }

    private async Task RemoveStagedObjectsAsync()
    {
        var dt = Settings.Clusters[0].DataOperation.DataTransfer!;
        using var s3 = new S3ClientFactory().Create(dt, new Uri(dt.PrivateUrl!));
        try
        {
            var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "fireuser" });
            foreach (var o in list.S3Objects ?? [])
                if (o.Key.Contains("/" + NamePrefix, StringComparison.Ordinal))
                    await s3.DeleteObjectAsync("fireuser", o.Key);
        }
        catch (AmazonS3Exception)
        {
            // no bucket: nothing staged
        }
    }
}

/// <summary>Counts requests per method and can cancel a token after the Nth successful one of a method.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _puts;
    private int _gets;
    private int _posts;

    public int Puts => Volatile.Read(ref _puts);
    public int Gets => Volatile.Read(ref _gets);
    public int Posts => Volatile.Read(ref _posts);

    public (HttpMethod Method, int After, CancellationTokenSource Cts)? CancelRule { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) return response;
        var n = request.Method == HttpMethod.Put ? Interlocked.Increment(ref _puts)
            : request.Method == HttpMethod.Get ? Interlocked.Increment(ref _gets)
            : Interlocked.Increment(ref _posts);
        if (CancelRule is { } rule && rule.Method == request.Method && n == rule.After) rule.Cts.Cancel();
        return response;
    }
}

/// <summary>Records progress reports synchronously.</summary>
public sealed class ProgressLog : IProgress<Firecrest.Core.DataTransfer.Client.TransferProgress>
{
    private readonly List<Firecrest.Core.DataTransfer.Client.TransferProgress> _items = [];

    public IReadOnlyList<Firecrest.Core.DataTransfer.Client.TransferProgress> Items
    {
        get { lock (_items) return _items.ToList(); }
    }

    public void Report(Firecrest.Core.DataTransfer.Client.TransferProgress value)
    {
        lock (_items) _items.Add(value);
    }
}
