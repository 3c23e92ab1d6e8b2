using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Item 5: upload and download of 1 GiB through our path (transfer/upload presigned parts + the ingress job;
/// transfer/download egress job + presigned GET) against plain AWSSDK.S3 PUT/GET to the same s3rver.
/// </summary>
public static class Transfer
{
    private const int PartConcurrency = 4;

    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, string? clientMoverMissingReason, CancellationToken ct)
    {
        var size = ctx.Options.Quick ? 32L << 20 : 1L << 30;
        var label = ctx.Options.Quick ? "32 MiB" : "1 GiB";
        var local = await LocalFileAsync(size, ct);
        var user = ctx.User1;
        var dir = BenchContext.HomeOf(user) + "/f7t-bench-transfer";
        var target = dir + "/upload.bin";
        await raw.ExecOkAsync($"rm -rf -- {ShellQuote.Quote(dir)} && mkdir -p -- {ShellQuote.Quote(dir)}", ct);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var token = await ctx.Tokens.ForAsync(user, ct);
        var mib = size / 1048576.0;

        // Raw AWSSDK.S3 baseline.
        using var s3 = RawClient(ctx.Env);
        const string bucket = "f7t-bench-raw";
        try { await s3.PutBucketAsync(bucket, ct); } catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict) { }
        var t = Stopwatch.GetTimestamp();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "bench.bin", FilePath = local, UseChunkEncoding = false }, ct);
        var rawUp = Stopwatch.GetElapsedTime(t).TotalSeconds;
        t = Stopwatch.GetTimestamp();
        long rawBytes;
        using (var get = await s3.GetObjectAsync(bucket, "bench.bin", ct))
            rawBytes = await DrainAsync(get.ResponseStream, ct);
        var rawDown = Stopwatch.GetElapsedTime(t).TotalSeconds;
        await s3.DeleteObjectAsync(bucket, "bench.bin", ct);
        if (rawBytes != size) throw new InvalidOperationException($"raw GET returned {rawBytes} bytes, expected {size}");

        // Our path, upload: presigned parts, complete, then the ingress job until COMPLETED.
        t = Stopwatch.GetTimestamp();
        var up = await PostAsync(ctx, http, token, "upload", new
        {
            path = target, account = ctx.AccountOf(user),
            transferDirectives = new { transferMethod = "s3", fileSize = size },
        }, ct);
        var d = up.GetProperty("transferDirectives");
        var parts = d.GetProperty("partsUploadUrls").EnumerateArray().Select(e => e.GetString()!).ToList();
        var partSize = d.GetProperty("maxPartSize").GetInt64();
        var etags = new string[parts.Count];
        using (var gate = new SemaphoreSlim(PartConcurrency))
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
        // s3rver acknowledges a part before its file is flushed (see the DataTransfer integration tests).
        await Task.Delay(250, ct);
        var xml = new StringBuilder("<CompleteMultipartUpload>");
        for (var i = 0; i < etags.Length; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{etags[i]}</ETag></Part>");
        xml.Append("</CompleteMultipartUpload>");
        using (var complete = await http.PostAsync(d.GetProperty("completeUploadUrl").GetString(), new StringContent(xml.ToString(), Encoding.UTF8, "application/xml"), ct))
            if (complete.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"complete answered {(int)complete.StatusCode}");
        await WaitForJobAsync(ctx, http, token, up.GetProperty("transferJob").GetProperty("jobId").ToString(), ct);
        var ourUp = Stopwatch.GetElapsedTime(t).TotalSeconds;
        var stored = (await raw.ExecOkAsync($"stat -c %s -- {ShellQuote.Quote(target)}", ct)).Trim();
        if (stored != size.ToString()) throw new InvalidOperationException($"the uploaded file has {stored} bytes, expected {size}");

        // Our path, download: the egress job until COMPLETED, then the presigned GET.
        t = Stopwatch.GetTimestamp();
        var down = await PostAsync(ctx, http, token, "download", new { path = target, account = ctx.AccountOf(user), transferDirectives = new { transferMethod = "s3" } }, ct);
        await WaitForJobAsync(ctx, http, token, down.GetProperty("transferJob").GetProperty("jobId").ToString(), ct);
        long ourBytes;
        using (var get = await http.GetAsync(down.GetProperty("transferDirectives").GetProperty("downloadUrl").GetString(), HttpCompletionOption.ResponseHeadersRead, ct))
        {
            get.EnsureSuccessStatusCode();
            ourBytes = await DrainAsync(await get.Content.ReadAsStreamAsync(ct), ct);
        }
        var ourDown = Stopwatch.GetElapsedTime(t).TotalSeconds;
        if (ourBytes != size) throw new InvalidOperationException($"the download returned {ourBytes} bytes, expected {size}");
        await raw.ExecAsync($"rm -rf -- {ShellQuote.Quote(dir)}", CancellationToken.None);

        ctx.Report.Higher("5", $"{label} upload, MiB/s (our server path: transfer/upload + presigned parts + ingress job; baseline: AWSSDK.S3 PutObject)", mib / ourUp, mib / rawUp, " MiB/s", 0.7);
        ctx.Report.Higher("5", $"{label} download, MiB/s (our server path: transfer/download + egress job + presigned GET; baseline: AWSSDK.S3 GetObject)", mib / ourDown, mib / rawDown, " MiB/s", 0.7);
        if (clientMoverMissingReason is not null)
        {
            ctx.Report.Missing("5", $"{label} upload through the client-side mover (FirecrestClient)", Report.Num(mib / rawUp) + " MiB/s", "≥ 0.7", clientMoverMissingReason);
            ctx.Report.Missing("5", $"{label} download through the client-side mover (FirecrestClient)", Report.Num(mib / rawDown) + " MiB/s", "≥ 0.7", clientMoverMissingReason);
        }
        ctx.Report.Note("5", $"Times: raw PUT {Report.Num(rawUp, "0.0")} s, raw GET {Report.Num(rawDown, "0.0")} s; ours upload {Report.Num(ourUp, "0.0")} s ({parts.Count} part(s) of at most {partSize >> 20} MiB, {PartConcurrency} PUTs at once, then the ingress job copies S3 → {target}: the figure ends when the job is COMPLETED, i.e. when the data is on the cluster, which the raw PUT does not do); ours download {Report.Num(ourDown, "0.0")} s (egress job file → S3, then GET). Part size comes from the cluster's YAML (multipart.max_part_size). The raw PutObject uses UseChunkEncoding=false (the SDK hashes the body to sign it); presigned URLs carry UNSIGNED-PAYLOAD. Source and sink are a local file and a discarding stream on the same machine as s3rver and the cluster.");
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

    private static async Task<long> DrainAsync(Stream s, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        long total = 0;
        int n;
        while ((n = await s.ReadAsync(buffer, ct)) > 0) total += n;
        return total;
    }

    private static async Task<string> LocalFileAsync(long size, CancellationToken ct)
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
