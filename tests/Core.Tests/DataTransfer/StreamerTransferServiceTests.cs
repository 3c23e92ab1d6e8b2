using System.Text;
using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;
using Firecrest.Core.Tests.TestDoubles;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>Streamer upload and download on the server: checks before the job, the job script, the coordinates.</summary>
public sealed class StreamerTransferServiceTests
{
    private static readonly UserIdentity User = new("test1");
    private readonly FakeScheduler _scheduler = new();

    private static ClusterSettings Cluster(Action<DataTransferSettings>? configure = null)
    {
        var cluster = TransferTestSettings.Cluster();
        var dt = new DataTransferSettings
        {
            ServiceType = TransferMethod.Streamer,
            Host = "127.0.0.1",
            PortRange = [57010, 57019],
            PublicIps = ["10.0.0.5", "login.example"],
            WaitTimeout = 120,
            InboundTransferLimit = 1048576,
            StreamerPath = "/opt/f7t/firecrest-streamer",
        };
        configure?.Invoke(dt);
        cluster.DataOperation.DataTransfer = dt;
        return cluster;
    }

    private TransferService Service(TranscriptShell shell, Action<DataTransferSettings>? configure = null) =>
        new(Cluster(configure), _scheduler, shell, new S3ClientFactory(new StubS3()));

    private static TranscriptShell Absent() => new TranscriptShell().With("test -e", "", "", 1);

    [Fact]
    public async Task Upload_answers_streamer_coordinates_with_a_fresh_secret_and_submits_a_receive_job()
    {
        using var svc = Service(Absent());
        var first = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/in.bin"), null, "hpcproj", TransferMethod.Streamer);
        var second = await svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/in2.bin"), null, "hpcproj", TransferMethod.Streamer);

        var d = first.TransferDirectives!;
        Assert.Equal(TransferMethod.Streamer, d.TransferMethod);
        Assert.Null(d.PartsUploadUrls);
        Assert.Null(d.DownloadUrl);
        // base64url with padding of {"ports":[a,b],"ips":[...],"secret":"..."}
        Assert.Matches("^[A-Za-z0-9_-]+=*$", d.Coordinates!);
        var json = JsonDocument.Parse(Convert.FromBase64String(d.Coordinates!.Replace('-', '+').Replace('_', '/'))).RootElement;
        Assert.Equal([57010, 57019], json.GetProperty("ports").EnumerateArray().Select(p => p.GetInt32()));
        Assert.Equal(["10.0.0.5", "login.example"], json.GetProperty("ips").EnumerateArray().Select(p => p.GetString()));
        var secret = json.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{22}$", secret);
        Assert.NotEqual(secret, StreamerCoordinates.Decode(second.TransferDirectives!.Coordinates).Secret);

        var job = _scheduler.Submitted[0];
        Assert.Equal("IngressFileTransfer", job.Name);
        Assert.Contains("#SBATCH --account=hpcproj\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("file_path='/home/test1/in.bin'\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("mode=receive\n", job.Script, StringComparison.Ordinal);
        Assert.Contains($"export F7T_STREAMER_SECRET='{secret}'\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("streamer_path='/opt/f7t/firecrest-streamer'\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("first_port=57010\nlast_port=57019\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("public_ips=('10.0.0.5' 'login.example')\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("wait_timeout=120\ninbound_transfer_limit=1048576\n", job.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("@@", job.Script, StringComparison.Ordinal);
        Assert.Equal("1001", first.TransferJob.JobId);
    }

    [Fact]
    public async Task Upload_onto_an_existing_target_is_403_before_any_job()
    {
        using var svc = Service(new TranscriptShell().With("test -e", "", "", 0));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/there"), null, "hpcproj", TransferMethod.Streamer));
        Assert.Equal(HpcErrorKind.PermissionDenied, e.Kind);
        Assert.Equal("Target file '/home/test1/there' already exists.", e.Message);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Download_of_a_missing_source_is_404_before_any_job()
    {
        var shell = new TranscriptShell().With("stat --dereference", "", "stat: cannot statx '/home/test1/nope': No such file or directory", 1);
        using var svc = Service(shell);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/nope"), "hpcproj", TransferMethod.Streamer));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Download_submits_a_send_job_and_without_public_ips_points_at_the_host()
    {
        var shell = new TranscriptShell().With("stat --dereference", "81a4 1 2 1 1000 1000 4096 1 2 3");
        using var svc = Service(shell, dt => { dt.PublicIps = []; dt.StreamerPath = null; dt.PypiIndexUrl = "https://pypi.example/simple"; });
        var r = await svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/out.bin"), "hpcproj", TransferMethod.Streamer);

        Assert.Equal(["127.0.0.1"], StreamerCoordinates.Decode(r.TransferDirectives!.Coordinates).Ips);
        var job = Assert.Single(_scheduler.Submitted);
        Assert.Equal("OutgressFileTransfer", job.Name);
        Assert.Contains("mode=send\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("streamer_path=''\n", job.Script, StringComparison.Ordinal);
        Assert.Contains("pypi_index_url='https://pypi.example/simple'\n", job.Script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_resolving_outside_the_file_systems_is_refused_before_any_job()
    {
        var refusal = $"{ResolvedPathGuard.Marker}\tpath\toutside\t/etc/x\n";
        using var svc = Service(new TranscriptShell().With("test -e", "", refusal, ResolvedPathGuard.RefusedExitStatus));
        await Assert.ThrowsAsync<PathRefusedException>(() => svc.StartUploadAsync(User, RemotePath.Parse("/home/test1/link/x"), null, "hpcproj", TransferMethod.Streamer));
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public async Task Wormhole_system_answers_501_with_the_reason()
    {
        var cluster = Cluster(dt => dt.ServiceType = TransferMethod.Wormhole);
        using var svc = new TransferService(cluster, _scheduler, Absent(), new S3ClientFactory(new StubS3()));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse("/home/test1/x"), "hpcproj", TransferMethod.Wormhole));
        Assert.Equal(HpcErrorKind.NotImplemented, e.Kind);
        Assert.Contains("rendezvous relay", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinates_round_trip_and_read_upstream_text_without_padding()
    {
        var c = new StreamerCoordinates([5665, 5670], ["localhost"], "s3cr3t");
        Assert.Equal(c.Ports, StreamerCoordinates.Decode(c.Encode()).Ports);
        // as upstream writes them: json.dumps spacing, urlsafe base64
        var upstream = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"ports": [5665, 5670], "ips": ["localhost"], "secret": "abc", "operation": "receive"}"""))
            .Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var d = StreamerCoordinates.Decode(upstream);
        Assert.Equal("abc", d.Secret);
        Assert.Equal("receive", d.Operation);
        Assert.Equal(HpcErrorKind.Internal, Assert.Throws<HpcException>(() => StreamerCoordinates.Decode("not base64!")).Kind);
    }
}
