using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Item 7: 1 GiB up and down through the streamer (system STREAMER_SYSTEM of the local cluster, one hop: the client
/// streams straight to the transfer job's WebSocket server) with FileTransferClient over FirecrestClient, end to end
/// (REST call, job start, stream, job end, SHA-256 check), beside the same run's S3 path (the same client on the S3
/// system) and a raw one-hop ceiling: a plain TCP copy of the same file over loopback into the same disk.
/// </summary>
public static class StreamerTransfer
{
    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, CancellationToken ct)
    {
        var size = ctx.Options.Quick ? 32L << 20 : 1L << 30;
        var label = ctx.Options.Quick ? "32 MiB" : "1 GiB";
        var streamerSystem = ctx.Env["STREAMER_SYSTEM"];
        var local = await Transfer.LocalFileAsync(size, ct);
        var sinkDir = Directory.CreateTempSubdirectory("f7t-bench-streamer-").FullName;
        var dir = BenchContext.HomeOf(ctx.User1) + "/f7t-bench-streamer";
        await raw.ExecOkAsync($"rm -rf -- {ShellQuote.Quote(dir)} && mkdir -p -- {ShellQuote.Quote(dir)}", ct);
        var mib = size / 1048576.0;
        var since = DateTime.UtcNow;
        try
        {
            var (rawUp, rawDown) = await RawCopyAsync(local, dir + "/raw.bin", Path.Combine(sinkDir, "raw.bin"), size, ct);
            await raw.ExecAsync($"rm -f -- {ShellQuote.Quote(dir + "/raw.bin")}", ct);

            var (clientId, secret) = ctx.Env.ClientOf(ctx.User1);
            using var tokenHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var presigned = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            using var firecrest = new FirecrestClient(ctx.RunningServer.BaseUrl, new OidcClientCredentialsTokenProvider(tokenHttp, ctx.Env["OIDC_TOKEN_URL"], clientId, secret));
            var mover = new FileTransferClient(firecrest, presigned);
            var options = new FileTransferOptions { Account = ctx.AccountOf(ctx.User1), ParallelParts = 4, Resume = false, VerifyChecksum = true };

            var (streamUp, streamDown) = await RoundTripAsync(mover, streamerSystem, local, dir + "/streamer.bin", sinkDir, size, options, ct);
            var (s3Up, s3Down) = await RoundTripAsync(mover, BenchContext.System, local, dir + "/s3.bin", sinkDir, size, options, ct);

            ctx.Report.Higher("7", $"{label} upload end to end through the streamer (FileTransferClient over FirecrestClient: transfer/upload, job start, stream, job COMPLETED, SHA-256 check) vs a raw one-hop TCP copy over loopback into the same disk, MiB/s", mib / streamUp, mib / rawUp, " MiB/s", 0.8);
            ctx.Report.Higher("7", $"{label} download end to end through the streamer (transfer/download, job start, stream with SHA-256 check into a local file) vs a raw one-hop TCP copy, MiB/s", mib / streamDown, mib / rawDown, " MiB/s", 0.8);
            ctx.Report.Higher("7", $"{label} upload end to end: streamer vs our S3 path in this run (the same client on the S3 system), MiB/s", mib / streamUp, mib / s3Up, " MiB/s", 1.5);
            ctx.Report.Higher("7", $"{label} download end to end: streamer vs our S3 path in this run, MiB/s", mib / streamDown, mib / s3Down, " MiB/s", 1.5);
            ctx.Report.Note("7",
                $"Times: raw TCP copy up {S(rawUp)}, down {S(rawDown)}; streamer up {S(streamUp)}, down {S(streamDown)}; S3 path up {S(s3Up)}, down {S(s3Down)}. " +
                "The streamer rows include the REST call, the Slurm job's start and end and the SHA-256 check; the raw copy is bytes only (no framing, no hash, no job).");
        }
        finally
        {
            await raw.ExecAsync($"rm -rf -- {ShellQuote.Quote(dir)}", CancellationToken.None);
            try { Directory.Delete(sinkDir, recursive: true); } catch (IOException) { }
            await Transfer.DeleteStagedObjectsAsync(ctx, ctx.User1, since);
        }
    }

    private static string S(double seconds) => Report.Num(seconds, "0.0") + " s";

    private static async Task<(double Up, double Down)> RoundTripAsync(FileTransferClient mover, string system, string local, string remote, string sinkDir, long size,
        FileTransferOptions options, CancellationToken ct)
    {
        var t = Stopwatch.GetTimestamp();
        await mover.UploadAsync(system, local, RemotePath.Parse(remote), options, null, ct);
        var up = Stopwatch.GetElapsedTime(t).TotalSeconds;
        var sink = Path.Combine(sinkDir, Path.GetFileName(remote));
        t = Stopwatch.GetTimestamp();
        await mover.DownloadAsync(system, RemotePath.Parse(remote), sink, options, null, ct);
        var down = Stopwatch.GetElapsedTime(t).TotalSeconds;
        if (new FileInfo(sink).Length != size) throw new InvalidOperationException($"the download from {system} wrote {new FileInfo(sink).Length} bytes, expected {size}");
        File.Delete(sink);
        return (up, down);
    }

    /// <summary>The ceiling of one hop on this machine: the file over one loopback TCP connection into a file, each way.</summary>
    private static async Task<(double Up, double Down)> RawCopyAsync(string local, string remoteFile, string localSink, long size, CancellationToken ct)
    {
        var up = await TimedCopyAsync(local, remoteFile, size, ct);
        var down = await TimedCopyAsync(remoteFile, localSink, size, ct);
        File.Delete(localSink);
        return (up, down);
    }

    private static async Task<double> TimedCopyAsync(string from, string to, long size, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var t = Stopwatch.GetTimestamp();
        var receive = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync(ct);
            await using var file = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await peer.GetStream().CopyToAsync(file, 1 << 20, ct);
        }, ct);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
            await using var file = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await file.CopyToAsync(client.GetStream(), 1 << 20, ct);
        }
        await receive;
        var seconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
        if (new FileInfo(to).Length != size) throw new InvalidOperationException($"the raw copy wrote {new FileInfo(to).Length} bytes, expected {size}");
        return seconds;
    }
}
