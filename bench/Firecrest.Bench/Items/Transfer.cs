using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Item 5: upload and download of 1 GiB through our paths against a plain AWSSDK.S3 multipart upload and GetObject
/// of the same file to the same s3rver, in the same run. Our paths: (a) the server path driven by raw HTTP
/// (transfer/upload + presigned parts + ingress job; transfer/download + egress job + presigned GET) and (b) the
/// client-side mover (FileTransferClient over FirecrestClient with client-credentials tokens, SHA-256 check on). End-to-end figures end when the
/// data is where the user asked: on the cluster (job COMPLETED) for an upload, in a local file for a download.
/// </summary>
public static class Transfer
{
    /// <summary>PUTs (and GETs) at once on the client side, ours and the baseline's.</summary>
    private const int ClientConcurrency = 4;

    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, CancellationToken ct)
    {
        var size = ctx.Options.Quick ? 32L << 20 : 1L << 30;
        var label = ctx.Options.Quick ? "32 MiB" : "1 GiB";
        var local = await LocalFileAsync(size, ct);
        var sinkDir = Directory.CreateTempSubdirectory("f7t-bench-sink-").FullName;
        var user = ctx.User1;
        var dir = BenchContext.HomeOf(user) + "/f7t-bench-transfer";
        var target = dir + "/upload.bin";
        var clientTarget = dir + "/client.bin";
        await raw.ExecOkAsync($"rm -rf -- {ShellQuote.Quote(dir)} && mkdir -p -- {ShellQuote.Quote(dir)}", ct);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var mib = size / 1048576.0;
        var multipart = ctx.Cluster.DataOperation.DataTransfer!.Multipart;
        var basePartSize = Math.Max(5L << 20, Math.Min(multipart.MaxPartSize, size));
        var since = DateTime.UtcNow;
        try
        {
            // Raw AWSSDK.S3 baseline: multipart upload (same part size as the server's, 4 parts at once), GetObject into a file.
            using var s3 = RawClient(ctx.Env);
            const string bucket = "f7t-bench-raw";
            try { await s3.PutBucketAsync(bucket, ct); } catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict) { }
            var t = Stopwatch.GetTimestamp();
            await RawMultipartUploadAsync(s3, bucket, "bench.bin", local, size, basePartSize, ct);
            var rawUp = Stopwatch.GetElapsedTime(t).TotalSeconds;
            var rawSink = Path.Combine(sinkDir, "raw.bin");
            t = Stopwatch.GetTimestamp();
            using (var get = await s3.GetObjectAsync(bucket, "bench.bin", ct))
                await get.WriteResponseStreamToFileAsync(rawSink, false, ct);
            var rawDown = Stopwatch.GetElapsedTime(t).TotalSeconds;
            if (new FileInfo(rawSink).Length != size) throw new InvalidOperationException($"raw GET wrote {new FileInfo(rawSink).Length} bytes, expected {size}");
            File.Delete(rawSink);
            // The same object fetched in ranges of the server's part size, 4 at once, into a file: the second hop at its best.
            t = Stopwatch.GetTimestamp();
            await RawRangedGetAsync(s3, bucket, "bench.bin", rawSink, size, basePartSize, ct);
            var rawRanged = Stopwatch.GetElapsedTime(t).TotalSeconds;
            File.Delete(rawSink);
            await s3.DeleteObjectAsync(bucket, "bench.bin", ct);
            var secondHop = Math.Min(rawDown, rawRanged);

            var server = await ServerPathAsync(ctx, raw, http, local, size, target, sinkDir, ct);
            var client = await ClientMoverAsync(ctx, local, size, clientTarget, sinkDir, ct);

            ctx.Report.Higher("5", $"{label} upload end to end, MiB/s (our server path: transfer/upload + presigned parts + ingress job until COMPLETED; baseline: AWSSDK.S3 multipart upload)", mib / server.Up.Total, mib / rawUp, " MiB/s", 0.7);
            ctx.Report.Higher("5", $"{label} download end to end, MiB/s (our server path: transfer/download + egress job + presigned GET into a local file; baseline: AWSSDK.S3 GetObject into a local file)", mib / server.Down.Total, mib / rawDown, " MiB/s", 0.7);
            ctx.Report.Higher("5", $"{label} upload end to end through the client-side mover (FileTransferClient over FirecrestClient, SHA-256 check on), MiB/s", mib / client.Up.Total, mib / rawUp, " MiB/s", 0.7);
            ctx.Report.Higher("5", $"{label} download end to end through the client-side mover (FileTransferClient over FirecrestClient, SHA-256 check on), MiB/s", mib / client.Down.Total, mib / rawDown, " MiB/s", 0.7);
            ctx.Report.Higher("5", $"{label} S3 leg alone, upload: the client-side mover's presigned part PUTs (phase Uploading) vs AWSSDK.S3 multipart upload, MiB/s (not end to end: the data is not on the cluster yet)", mib / client.Up.S3Leg, mib / rawUp, " MiB/s", null);
            ctx.Report.Higher("5", $"{label} S3 leg alone, download: the client-side mover's ranged presigned GETs into a file (phase Downloading) vs AWSSDK.S3 GetObject into a file, MiB/s (not end to end: excludes the egress job)", mib / client.Down.S3Leg, mib / rawDown, " MiB/s", null);
            // Ceiling: what any path that moves the file between the user and the cluster through this store takes at least,
            // from the baseline's own legs in this run: one multipart upload (client→S3, or the egress job's S3 push) plus
            // one fetch of the object (the ingress job's, or the user's GET).
            ctx.Report.Higher("5", $"{label} upload end to end against the two-hop ceiling on this store, MiB/s (our server path vs the throughput of an AWSSDK.S3 multipart upload followed by the faster of GetObject and ranged GETs, both in this run: the most any path through S3 can give; 1.0 is that best)", mib / server.Up.Total, mib / (rawUp + secondHop), " MiB/s", null);
            ctx.Report.Higher("5", $"{label} download end to end against the two-hop ceiling on this store, MiB/s (same ceiling: the egress job's multipart push + one fetch)", mib / server.Down.Total, mib / (rawUp + secondHop), " MiB/s", null);
            ctx.Report.Note("5",
                $"Settings: server multipart.max_part_size {multipart.MaxPartSize >> 20} MiB, parallel_runs {multipart.ParallelRuns} (part transfers at once inside the ingress/egress job); " +
                $"clients (ours and the baseline) send {ClientConcurrency} parts at once; the baseline's multipart upload uses {basePartSize >> 20} MiB parts (UploadPart with UseChunkEncoding=false, as s3rver needs); " +
                $"the client-side mover downloads in {new FileTransferOptions().DownloadRangeSize >> 20} MiB ranges, {ClientConcurrency} at once. Every download writes a file on the same local disk. " +
                $"Times: baseline upload {S(rawUp)}, baseline GET {S(rawDown)}, baseline ranged GETs ({basePartSize >> 20} MiB, {ClientConcurrency} at once) {S(rawRanged)}. " +
                $"Two hops take at least {S(rawUp + secondHop)} here (baseline upload + the faster fetch), so against the one-hop baselines any path through S3 reaches at most {Report.Num(rawUp / (rawUp + secondHop), "0.00")} (upload) and {Report.Num(rawDown / (rawUp + secondHop), "0.00")} (download) (s3rver's CompleteMultipartUpload rewrites the whole object, {S(server.Up.Complete)} here, and both two-hop paths pay a multipart upload). " +
                $"Server path upload {S(server.Up.Total)} = transfer/upload {S(server.Up.Request)} + part PUTs {S(server.Up.S3Leg)} + complete {S(server.Up.Complete)} + complete→job COMPLETED {S(server.Up.Job)} (of which the job's S3→file copy {server.Up.JobCopy} from its log, the rest the ingress job's HEAD poll interval and Slurm/status polling). " +
                $"Server path download {S(server.Down.Total)} = transfer/download {S(server.Down.Request)} + submit→job COMPLETED {S(server.Down.Job)} (job file→S3 parts + complete + HEAD check {server.Down.JobCopy} from its log, the rest queue wait and polling) + GET {S(server.Down.S3Leg)}. " +
                $"Client mover upload {S(client.Up.Total)}: {client.Up.Phases}. Client mover download {S(client.Down.Total)}: {client.Down.Phases}. " +
                "The end-to-end rows carry two S3 hops (client→S3 and S3→cluster, or the reverse) plus a Slurm job, where the baseline does one hop; the S3-leg rows compare the one hop alone. Job log times have 1 s resolution. The first run of `cluster.sh up` after a change of deploy/demo/firecrest.yaml renders the part size used here.");
        }
        finally
        {
            await raw.ExecAsync($"rm -rf -- {ShellQuote.Quote(dir)}", CancellationToken.None);
            try { Directory.Delete(sinkDir, recursive: true); } catch (IOException) { }
            await DeleteStagedObjectsAsync(ctx, user, since);
        }
    }

    /// <summary>
    /// Deletes the objects put in <paramref name="user"/>'s bucket since <paramref name="since"/>. The server leaves a
    /// transfer's staged object to the bucket's expiry rule, which the local store (s3rver) does not apply: without this,
    /// every round of items 5 and 7 would leave gigabytes on the disk. A failure is reported, not thrown.
    /// </summary>
    internal static async Task DeleteStagedObjectsAsync(BenchContext ctx, string user, DateTime since)
    {
        try
        {
            using var s3 = RawClient(ctx.Env);
            var request = new ListObjectsV2Request { BucketName = user };
            ListObjectsV2Response page;
            do
            {
                page = await s3.ListObjectsV2Async(request);
                foreach (var o in page.S3Objects ?? [])
                    if (o.LastModified is { } modified && modified.ToUniversalTime() >= since.AddSeconds(-1))
                        await s3.DeleteObjectAsync(user, o.Key);
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            Console.WriteLine($"  note: the staged objects of {user} since {since:HH:mm:ss} were not deleted: {e.Message}");
        }
    }

    private static string S(double seconds) => Report.Num(seconds, "0.0") + " s";

    private sealed record Leg(double Total, double Request, double S3Leg, double Complete, double Job, string JobCopy, string Phases);

    private static async Task<(Leg Up, Leg Down)> ServerPathAsync(BenchContext ctx, RawSsh raw, HttpClient http, string local, long size,
        string target, string sinkDir, CancellationToken ct)
    {
        var user = ctx.User1;
        var token = await ctx.Tokens.ForAsync(user, ct);
        // Upload: presigned parts, complete, then the ingress job until COMPLETED.
        var t = Stopwatch.GetTimestamp();
        var up = await PostAsync(ctx, http, token, "upload", new
        {
            path = target, account = ctx.AccountOf(user),
            transferDirectives = new { transferMethod = "s3", fileSize = size },
        }, ct);
        var request = Stopwatch.GetElapsedTime(t).TotalSeconds;
        var d = up.GetProperty("transferDirectives");
        var parts = d.GetProperty("partsUploadUrls").EnumerateArray().Select(e => e.GetString()!).ToList();
        var partSize = d.GetProperty("maxPartSize").GetInt64();
        var etags = new string[parts.Count];
        var t1 = Stopwatch.GetTimestamp();
        using (var gate = new SemaphoreSlim(ClientConcurrency))
        {
            await Task.WhenAll(parts.Select(async (url, i) =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    var offset = i * partSize;
                    using var put = await http.PutAsync(url, new FileSliceContent(local, offset, Math.Min(partSize, size - offset)), ct);
                    if (put.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"part {i + 1} PUT answered {(int)put.StatusCode}");
                    etags[i] = put.Headers.ETag!.Tag;
                }
                finally { gate.Release(); }
            }));
        }
        var puts = Stopwatch.GetElapsedTime(t1).TotalSeconds;
        var t2 = Stopwatch.GetTimestamp();
        // s3rver acknowledges a part before its file is flushed (see the DataTransfer integration tests).
        await Task.Delay(250, ct);
        var xml = new StringBuilder("<CompleteMultipartUpload>");
        for (var i = 0; i < etags.Length; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{etags[i]}</ETag></Part>");
        xml.Append("</CompleteMultipartUpload>");
        using (var complete = await http.PostAsync(d.GetProperty("completeUploadUrl").GetString(), new StringContent(xml.ToString(), Encoding.UTF8, "application/xml"), ct))
            if (complete.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"complete answered {(int)complete.StatusCode}");
        var completeSec = Stopwatch.GetElapsedTime(t2).TotalSeconds;
        var t3 = Stopwatch.GetTimestamp();
        var upJob = up.GetProperty("transferJob");
        await WaitForJobAsync(ctx, http, token, upJob.GetProperty("jobId").ToString(), ct);
        var job = Stopwatch.GetElapsedTime(t3).TotalSeconds;
        var total = Stopwatch.GetElapsedTime(t).TotalSeconds;
        var stored = (await raw.ExecOkAsync($"stat -c %s -- {ShellQuote.Quote(target)}", ct)).Trim();
        if (stored != size.ToString(CultureInfo.InvariantCulture)) throw new InvalidOperationException($"the uploaded file has {stored} bytes, expected {size}");
        var upCopy = await LogSpanAsync(raw, upJob, "File to transfer found", "File was successfully downloaded", ct);
        var upLeg = new Leg(total, request, puts, completeSec, job, upCopy, "");

        // Download: the egress job until COMPLETED, then the presigned GET into a local file.
        token = await ctx.Tokens.ForAsync(user, ct);
        t = Stopwatch.GetTimestamp();
        var down = await PostAsync(ctx, http, token, "download", new { path = target, account = ctx.AccountOf(user), transferDirectives = new { transferMethod = "s3" } }, ct);
        request = Stopwatch.GetElapsedTime(t).TotalSeconds;
        t3 = Stopwatch.GetTimestamp();
        var downJob = down.GetProperty("transferJob");
        await WaitForJobAsync(ctx, http, token, downJob.GetProperty("jobId").ToString(), ct);
        job = Stopwatch.GetElapsedTime(t3).TotalSeconds;
        var sink = Path.Combine(sinkDir, "server.bin");
        var t4 = Stopwatch.GetTimestamp();
        using (var get = await http.GetAsync(down.GetProperty("transferDirectives").GetProperty("downloadUrl").GetString(), HttpCompletionOption.ResponseHeadersRead, ct))
        {
            get.EnsureSuccessStatusCode();
            await using var file = new FileStream(sink, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
            await get.Content.CopyToAsync(file, ct);
        }
        var getSec = Stopwatch.GetElapsedTime(t4).TotalSeconds;
        total = Stopwatch.GetElapsedTime(t).TotalSeconds;
        if (new FileInfo(sink).Length != size) throw new InvalidOperationException($"the download wrote {new FileInfo(sink).Length} bytes, expected {size}");
        File.Delete(sink);
        var downCopy = await LogSpanAsync(raw, downJob, "Outgress File Transfer Job", "Multipart file upload successfully completed", ct);
        return (upLeg, new Leg(total, request, getSec, 0, job, downCopy, ""));
    }

    private static async Task<(Leg Up, Leg Down)> ClientMoverAsync(BenchContext ctx, string local, long size, string remote, string sinkDir, CancellationToken ct)
    {
        using var presigned = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var (clientId, secret) = ctx.Env.ClientOf(ctx.User1);
        using var tokenHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var firecrest = new FirecrestClient(ctx.RunningServer.BaseUrl, new OidcClientCredentialsTokenProvider(tokenHttp, ctx.Env["OIDC_TOKEN_URL"], clientId, secret));
        var mover = new FileTransferClient(firecrest, presigned);
        var options = new FileTransferOptions { Account = ctx.AccountOf(ctx.User1), ParallelParts = ClientConcurrency, Resume = false, VerifyChecksum = true };
        foreach (var stale in new[] { local + ".f7t-upload.json" }) File.Delete(stale);

        var upPhases = new PhaseClock();
        var t = Stopwatch.GetTimestamp();
        await mover.UploadAsync(BenchContext.System, local, RemotePath.Parse(remote), options, upPhases, ct);
        var up = Stopwatch.GetElapsedTime(t).TotalSeconds;

        var sink = Path.Combine(sinkDir, "client.bin");
        var downPhases = new PhaseClock();
        t = Stopwatch.GetTimestamp();
        await mover.DownloadAsync(BenchContext.System, RemotePath.Parse(remote), sink, options, downPhases, ct);
        var down = Stopwatch.GetElapsedTime(t).TotalSeconds;
        if (new FileInfo(sink).Length != size) throw new InvalidOperationException($"the client-side download wrote {new FileInfo(sink).Length} bytes, expected {size}");
        File.Delete(sink);
        return (new Leg(up, 0, upPhases.Seconds(TransferPhase.Uploading), 0, 0, "", upPhases.Describe()),
            new Leg(down, 0, downPhases.Seconds(TransferPhase.Downloading), 0, 0, "", downPhases.Describe()));
    }

    /// <summary>Records when each phase of a transfer began (progress callbacks run synchronously on a phase change).</summary>
    private sealed class PhaseClock : IProgress<TransferProgress>
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly List<(TransferPhase Phase, double At)> _entered = [];

        public void Report(TransferProgress value)
        {
            lock (_entered)
                if (_entered.Count == 0 || _entered[^1].Phase != value.Phase)
                    _entered.Add((value.Phase, Stopwatch.GetElapsedTime(_start).TotalSeconds));
        }

        public double Seconds(TransferPhase phase)
        {
            lock (_entered)
            {
                var i = _entered.FindIndex(e => e.Phase == phase);
                return i < 0 || i + 1 >= _entered.Count ? double.NaN : _entered[i + 1].At - _entered[i].At;
            }
        }

        public string Describe()
        {
            lock (_entered)
            {
                var parts = new List<string>();
                if (_entered.Count > 0) parts.Add($"before the first phase report (local SHA-256, server calls) {S(_entered[0].At)}");
                for (var i = 0; i + 1 < _entered.Count; i++)
                    parts.Add($"{_entered[i].Phase} {S(_entered[i + 1].At - _entered[i].At)}");
                return string.Join(", ", parts);
            }
        }
    }

    /// <summary>Seconds between the first log line containing <paramref name="from"/> and the one containing <paramref name="to"/> (`date -u` stamps, 1 s resolution).</summary>
    private static async Task<string> LogSpanAsync(RawSsh raw, JsonElement job, string from, string to, CancellationToken ct)
    {
        try
        {
            var log = await raw.ExecOkAsync($"cat -- {ShellQuote.Quote(job.GetProperty("logs").GetProperty("outputLog").GetString()!)}", ct);
            DateTime? Stamp(string marker)
            {
                var line = log.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
                var m = line is null ? null : Regex.Match(line, @"^\w{3} (\w{3}) +(\d+) (\d\d:\d\d:\d\d) (?:AM |PM )?UTC (\d{4})");
                return m is { Success: true } && DateTime.TryParseExact($"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[4].Value} {m.Groups[3].Value}",
                    "MMM d yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
            }
            return Stamp(from) is { } a && Stamp(to) is { } b ? $"{(b - a).TotalSeconds:0} s" : "n/a (log lines not found)";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"n/a ({e.Message.Split('\n')[0]})";
        }
    }

    private static async Task RawMultipartUploadAsync(AmazonS3Client s3, string bucket, string key, string local, long size, long partSize, CancellationToken ct)
    {
        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, ct);
        var count = (int)((size + partSize - 1) / partSize);
        var etags = new PartETag[count];
        using var gate = new SemaphoreSlim(ClientConcurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var offset = i * partSize;
                var r = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket, Key = key, UploadId = init.UploadId, PartNumber = i + 1,
                    FilePath = local, FilePosition = offset, PartSize = Math.Min(partSize, size - offset), UseChunkEncoding = false,
                }, ct);
                etags[i] = new PartETag(i + 1, r.ETag);
            }
            finally { gate.Release(); }
        }));
        await Task.Delay(250, ct); // same pause as ours: s3rver acknowledges a part before it is flushed
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = init.UploadId, PartETags = etags.ToList(),
        }, ct);
    }

    private static async Task RawRangedGetAsync(AmazonS3Client s3, string bucket, string key, string path, long size, long rangeSize, CancellationToken ct)
    {
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, preallocationSize: size);
        var count = (int)((size + rangeSize - 1) / rangeSize);
        using var gate = new SemaphoreSlim(ClientConcurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var from = i * rangeSize;
                var to = Math.Min(size, from + rangeSize) - 1;
                using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(from, to) }, ct);
                var buffer = new byte[1 << 20];
                var at = from;
                int read;
                while ((read = await get.ResponseStream.ReadAsync(buffer, ct)) > 0)
                {
                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), at, ct);
                    at += read;
                }
                if (at != to + 1) throw new InvalidOperationException($"ranged GET {from}-{to} ended at {at}");
            }
            finally { gate.Release(); }
        }));
    }

    private static AmazonS3Client RawClient(ClusterEnv env) => new(new BasicAWSCredentials(env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"]), new AmazonS3Config
    {
        ServiceURL = env["S3_URL"],
        ForcePathStyle = true,
        AuthenticationRegion = env["S3_REGION"],
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        Timeout = TimeSpan.FromMinutes(10),
    });

    private static async Task<JsonElement> PostAsync(BenchContext ctx, HttpClient http, string token, string what, object body, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, ctx.Url($"filesystem/{BenchContext.System}/transfer/{what}")) { Content = JsonContent.Create(body) };
        req.Headers.Authorization = new("Bearer", token);
        using var resp = await http.SendAsync(req, ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        if (resp.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"transfer/{what} answered {(int)resp.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls GET jobs/{id} every 200 ms until the job is COMPLETED; throws when it ends otherwise.</summary>
    private static async Task WaitForJobAsync(BenchContext ctx, HttpClient http, string token, string id, CancellationToken ct)
    {
        var url = ctx.Url($"compute/{BenchContext.System}/jobs/{Uri.EscapeDataString(id)}");
        var t = Stopwatch.GetTimestamp();
        while (true)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, url);
            req.Headers.Authorization = new("Bearer", token);
            using var resp = await http.SendAsync(req, ct);
            if (resp.StatusCode == HttpStatusCode.OK)
            {
                var jobs = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("jobs");
                if (jobs.GetArrayLength() > 0)
                {
                    var state = jobs[0].GetProperty("status").GetProperty("state").GetString() ?? "";
                    if (state.StartsWith("COMPLETED", StringComparison.Ordinal)) return;
                    if (state is "FAILED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" or "BOOT_FAIL" or "DEADLINE" || state.StartsWith("CANCELLED", StringComparison.Ordinal))
                        throw new InvalidOperationException($"transfer job {id} ended {state}");
                }
            }
            if (Stopwatch.GetElapsedTime(t) > TimeSpan.FromMinutes(10)) throw new TimeoutException($"transfer job {id} not done within 10 min");
            await Task.Delay(200, ct);
        }
    }

    internal static async Task<string> LocalFileAsync(long size, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"f7t-bench-{size}.bin");
        if (File.Exists(path) && new FileInfo(path).Length == size) return path;
        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        await using (var f = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
        {
            for (long written = 0; written < size; written += block.Length)
            {
                block[0] = (byte)(written >> 20);
                await f.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - written)), ct);
            }
        }
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }
}
