using System.Security.Cryptography;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.Core.Tests.DataTransfer.Streaming;
using Firecrest.Streamer;

namespace Firecrest.Core.Tests.DataTransfer.Client;

/// <summary>
/// FileTransferClient on a system whose data transfer is streamer, against an in-memory FirecREST and our streamer
/// server in process on loopback: the client retries until the job listens, sends, waits for the job, checks the
/// SHA-256 the job logged; refusals become clear errors.
/// </summary>
public sealed class FileTransferClientStreamerTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-ftc-streamer-").FullName;
    private readonly StringWriter _jobLog = new();
    private readonly FakeStagingOperations _ops = new() { MaxOps = 10, ServiceType = TransferMethod.Streamer };
    private readonly HttpClient _http;

    public FileTransferClientStreamerTests() => _http = new HttpClient(_ops);

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private StreamerServer Server(StreamerMode mode, string path, long limit = 1 << 30)
    {
        var port = WebSocketPair.FreePort();
        _ops.StreamerAt = new StreamerCoordinates([port, Math.Min(65535, port + 20)], ["127.0.0.1"], "s3cret");
        return new StreamerServer(new StreamerServerOptions
        {
            Secret = "s3cret", Mode = mode, Path = path, Host = "127.0.0.1", FirstPort = port, LastPort = Math.Min(65535, port + 20), InboundTransferLimit = limit,
        }, _jobLog);
    }

    private static FileTransferOptions Options() => new() { JobPollInterval = TimeSpan.FromMilliseconds(500), JobPollMaxInterval = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Upload_retries_until_the_job_listens_then_streams_and_checks_the_logged_sha256()
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        var local = Path.Combine(_dir, "up.bin");
        await File.WriteAllBytesAsync(local, data);
        var target = Path.Combine(_dir, "landed.bin");
        using var server = Server(StreamerMode.Receive, target);
        _ops.RunningPolls = 1; // RUNNING while the client first finds nobody listening, COMPLETED afterwards
        _ops.Log = () => _jobLog.ToString();
        Task<int>? run = null;
        _ops.StillRunning = () => run is not { IsCompleted: true };
        var delays = new List<TimeSpan>();
        var client = new FileTransferClient(_ops, _http)
        {
            // The first failed connect waits once: the job's streamer starts listening during that wait.
            RetryDelay = (d, _) =>
            {
                delays.Add(d);
                server.Start();
                run = server.RunAsync(CancellationToken.None);
                return Task.CompletedTask;
            },
        };
        var progress = new List<TransferProgress>();
        _ops.Absent.Add("/home/u/landed.bin");

        await client.UploadAsync("fake", local, RemotePath.Parse("/home/u/landed.bin"), Options(), new SyncProgress(progress.Add)).WaitAsync(Guard);

        Assert.Equal([TimeSpan.FromMilliseconds(500)], delays);
        Assert.Equal(StreamerExitCodes.Success, await run!.WaitAsync(Guard));
        Assert.Equal(data, await File.ReadAllBytesAsync(target));
        Assert.Equal((TransferPhase.Completed, data.LongLength), (progress[^1].Phase, progress[^1].BytesDone));
        Assert.Contains(progress, p => p.Phase == TransferPhase.Uploading);
        Assert.Equal(0, _ops.StartUploads); // nothing staged through S3
        Assert.Empty(_ops.Moves);
    }

    [Fact]
    public async Task Upload_onto_an_existing_file_streams_to_a_hidden_part_file_then_moves_it_over_the_target()
    {
        var data = RandomNumberGenerator.GetBytes(20_000);
        var local = Path.Combine(_dir, "again.bin");
        await File.WriteAllBytesAsync(local, data);
        using var server = Server(StreamerMode.Receive, Path.Combine(_dir, "part"));
        server.Start();
        var run = server.RunAsync(CancellationToken.None);
        _ops.Log = () => _jobLog.ToString();
        _ops.StillRunning = () => !run.IsCompleted; // as a real job, it ends after its streamer logged the SHA-256

        await new FileTransferClient(_ops, _http).UploadAsync("fake", local, RemotePath.Parse("/home/u/again.bin"), Options()).WaitAsync(Guard);

        var (source, target) = Assert.Single(_ops.Moves);
        Assert.Matches(@"^/home/u/\.again\.bin\.f7t-[0-9a-f]{32}\.part$", source);
        Assert.Equal("/home/u/again.bin", target);
        Assert.Equal(StreamerExitCodes.Success, await run.WaitAsync(Guard));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(_dir, "part")));
    }

    [Fact]
    public async Task Download_streams_into_the_target_through_a_part_file()
    {
        var data = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 1);
        var source = Path.Combine(_dir, "source.bin");
        await File.WriteAllBytesAsync(source, data);
        _ops.Object = data; // the stat answers its size
        using var server = Server(StreamerMode.Send, source);
        server.Start();
        var run = server.RunAsync(CancellationToken.None);
        var local = Path.Combine(_dir, "down.bin");

        await new FileTransferClient(_ops, _http).DownloadAsync("fake", RemotePath.Parse("/home/u/source.bin"), local, Options()).WaitAsync(Guard);

        Assert.Equal(data, await File.ReadAllBytesAsync(local));
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(local)));
        Assert.Equal(StreamerExitCodes.Success, await run.WaitAsync(Guard));
    }

    [Fact]
    public async Task A_job_that_ends_before_listening_is_an_error_quoting_its_log()
    {
        var nobody = WebSocketPair.FreePort();
        _ops.StreamerAt = new StreamerCoordinates([nobody, nobody], ["127.0.0.1"], "s");
        _ops.JobState = "FAILED";
        _ops.Log = () => "No python3.8 or later on node1";
        var local = Path.Combine(_dir, "x.bin");
        await File.WriteAllBytesAsync(local, new byte[100]);
        _ops.Absent.Add("/home/u/x.bin");

        var e = await Assert.ThrowsAsync<HpcException>(() => new FileTransferClient(_ops, _http) { RetryDelay = (_, _) => Task.CompletedTask }
            .UploadAsync("fake", local, RemotePath.Parse("/home/u/x.bin"), Options()).WaitAsync(Guard));

        Assert.Contains("ended FAILED", e.Message, StringComparison.Ordinal);
        Assert.Contains("No python3.8 or later on node1", e.Message, StringComparison.Ordinal);
        Assert.Contains("before its streamer took the connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_inbound_limit_is_too_large_and_nothing_is_left()
    {
        var local = Path.Combine(_dir, "big.bin");
        await File.WriteAllBytesAsync(local, new byte[5000]);
        var target = Path.Combine(_dir, "limited.bin");
        _ops.Absent.Add("/home/u/limited.bin");
        using var server = Server(StreamerMode.Receive, target, limit: 4096);
        server.Start();
        var run = server.RunAsync(CancellationToken.None);

        var e = await Assert.ThrowsAsync<HpcException>(() => new FileTransferClient(_ops, _http).UploadAsync("fake", local, RemotePath.Parse("/home/u/limited.bin"), Options()).WaitAsync(Guard));

        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        Assert.Contains("inbound transfer limit", e.Message, StringComparison.Ordinal);
        Assert.Equal(StreamerExitCodes.TransferFailed, await run.WaitAsync(Guard));
        Assert.False(File.Exists(target));
    }

    private sealed class SyncProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (this) report(value);
        }
    }
}
