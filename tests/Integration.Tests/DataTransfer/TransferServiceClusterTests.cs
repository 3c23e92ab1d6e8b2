using System.Net;
using System.Security.Cryptography;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Integration.Tests.DataTransfer;

/// <summary>The data mover against the real local Slurm and s3rver: staged transfers and file jobs end to end.</summary>
[Collection(TransferClusterCollection.Name)]
public sealed class TransferServiceClusterTests(TransferClusterFixture f)
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(120);
    private static readonly UserIdentity User = TransferClusterFixture.User;

    [Theory]
    [InlineData("f7t-it-it's a \"big\" file & <co>.bin", false, "hpcproj")]
    [InlineData("f7t-it-plain.bin", true, null)] // no account: the user's default association (hpcproj) is charged
    public async Task Upload_round_trip_puts_the_exact_bytes_at_the_target(string name, bool slowClient, string? account)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var dir = await f.NewDirectoryAsync(User, " & 'dir'");
        var target = $"{dir}/{name}";
        var data = RandomNumberGenerator.GetBytes((int)(12 * MiB));
        using var svc = f.Service();

        var r = await svc.StartUploadAsync(User, RemotePath.Parse(target), data.Length, account, cancellationToken: cts.Token);

        var d = r.TransferDirectives!;
        Assert.Equal(3, d.PartsUploadUrls!.Count);
        Assert.Equal(5 * MiB, d.MaxPartSize);
        using var http = new HttpClient();
        var etags = new List<string>();
        for (var i = 0; i < d.PartsUploadUrls.Count; i++)
        {
            var start = (int)(i * d.MaxPartSize!.Value);
            var len = (int)Math.Min(d.MaxPartSize.Value, data.Length - start);
            using var put = await http.PutAsync(d.PartsUploadUrls[i], new ByteArrayContent(data, start, len), cts.Token);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            etags.Add(put.Headers.ETag!.Tag);
        }
        await f.WaitForStoredPartsAsync(d.PartsUploadUrls, PartSizes(data.Length, d.MaxPartSize!.Value), cts.Token);
        // A client that takes its time before the Complete: the ingress job polls the store meanwhile.
        if (slowClient) await Task.Delay(3000, cts.Token);
        var xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (var i = 0; i < etags.Count; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{etags[i]}</ETag></Part>");
        xml.Append("</CompleteMultipartUpload>");
        using var complete = await http.PostAsync(d.CompleteUploadUrl, new StringContent(xml.ToString(), Encoding.UTF8, "application/xml"), cts.Token);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);

        var (state, exit) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.True(state == JobState.Completed, $"ingress job {state} {exit}: {await ErrorLogAsync(r.TransferJob)}");
        Assert.Equal("hpcproj", await AccountOfAsync(r.TransferJob));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), await f.Sha256Async(User, target));
        Assert.Contains("File was successfully downloaded", await f.RunOkAsync(User, $"cat -- {ShellQuote.Quote(r.TransferJob.Logs.OutputLog)}"));
        // no temporary file left next to the target
        Assert.Equal("1", (await f.RunOkAsync(User, $"ls -A -- {ShellQuote.Quote(dir)} | wc -l")).Trim());
    }

    [Theory]
    [InlineData("f7t-it-down & 'load' \"x\".bin", false, "hpcproj")]
    [InlineData("f7t-it-split.bin", true, null)]
    public async Task Download_round_trip_serves_the_exact_bytes(string name, bool useSplit, string? account)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var dir = await f.NewDirectoryAsync(User);
        var source = $"{dir}/{name}";
        await f.RunOkAsync(User, $"head -c {12 * MiB + 12345} /dev/urandom > {ShellQuote.Quote(source)}");
        var expected = await f.Sha256Async(User, source);
        using var svc = f.Service(useSplit: useSplit);

        var r = await svc.StartDownloadAsync(User, RemotePath.Parse(source), account, cancellationToken: cts.Token);

        var (state, exit) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.True(state == JobState.Completed, $"egress job {state} {exit}: {await ErrorLogAsync(r.TransferJob)}");
        Assert.Equal("hpcproj", await AccountOfAsync(r.TransferJob));
        Assert.Contains("Multipart file upload successfully completed", await f.RunOkAsync(User, $"cat -- {ShellQuote.Quote(r.TransferJob.Logs.OutputLog)}"));
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(r.TransferDirectives!.DownloadUrl, cts.Token);
        Assert.Equal(12 * MiB + 12345, bytes.Length);
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }

    [Fact]
    public async Task Eight_parts_moved_four_at_a_time_keep_the_bytes_both_ways_and_the_jobs_log_their_sha256()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var dir = await f.NewDirectoryAsync(User, " 'par' & \"x\"");
        var target = $"{dir}/f7t-it-parallel parts.bin";
        var data = RandomNumberGenerator.GetBytes((int)(37 * MiB + 4321)); // 8 parts of 5 MiB, the last one short
        var expected = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
        using var svc = f.Service(parallelRuns: 4);

        // Upload: all part PUTs at once, then the ingress job fetches the 8 ranges 4 at a time into its temp file.
        var r = await svc.StartUploadAsync(User, RemotePath.Parse(target), data.Length, "hpcproj", cancellationToken: cts.Token);
        var d = r.TransferDirectives!;
        Assert.Equal(8, d.PartsUploadUrls!.Count);
        using var http = new HttpClient();
        var etags = await Task.WhenAll(d.PartsUploadUrls.Select(async (url, i) =>
        {
            var start = (int)(i * d.MaxPartSize!.Value);
            using var put = await http.PutAsync(url, new ByteArrayContent(data, start, (int)Math.Min(d.MaxPartSize.Value, data.Length - start)), cts.Token);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            return put.Headers.ETag!.Tag;
        }));
        await f.WaitForStoredPartsAsync(d.PartsUploadUrls, PartSizes(data.Length, d.MaxPartSize!.Value), cts.Token);
        var xml = new StringBuilder("<CompleteMultipartUpload>");
        for (var i = 0; i < etags.Length; i++) xml.Append($"<Part><PartNumber>{i + 1}</PartNumber><ETag>{etags[i]}</ETag></Part>");
        xml.Append("</CompleteMultipartUpload>");
        using (var complete = await http.PostAsync(d.CompleteUploadUrl, new StringContent(xml.ToString(), Encoding.UTF8, "application/xml"), cts.Token))
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        var (state, exit) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.True(state == JobState.Completed, $"ingress job {state} {exit}: {await ErrorLogAsync(r.TransferJob)}");
        Assert.Equal(expected, await f.Sha256Async(User, target));
        Assert.Contains($"SHA-256: {expected}", await f.RunOkAsync(User, $"cat -- {ShellQuote.Quote(r.TransferJob.Logs.OutputLog)}"));
        Assert.Equal("1", (await f.RunOkAsync(User, $"ls -A -- {ShellQuote.Quote(dir)} | wc -l")).Trim());

        // Download: the egress job streams the 8 ranges of the file 4 at a time; the object is the same bytes.
        var down = await svc.StartDownloadAsync(User, RemotePath.Parse(target), "hpcproj", cancellationToken: cts.Token);
        (state, exit) = await f.WaitForJobAsync(User, down.TransferJob, JobDeadline, cts.Token);
        Assert.True(state == JobState.Completed, $"egress job {state} {exit}: {await ErrorLogAsync(down.TransferJob)}");
        var log = await f.RunOkAsync(User, $"cat -- {ShellQuote.Quote(down.TransferJob.Logs.OutputLog)}");
        for (var p = 1; p <= 8; p++) Assert.Contains($"[INFO] Uploaded part {p}\n", log);
        Assert.Contains($"SHA-256: {expected}", log);
        var bytes = await http.GetByteArrayAsync(down.TransferDirectives!.DownloadUrl, cts.Token);
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }

    [Fact]
    public async Task Move_copy_compress_extract_remove_jobs_do_what_they_say()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var dir = await f.NewDirectoryAsync(User, " <&> 'q'");
        var q = (string p) => ShellQuote.Quote(p);
        await f.RunOkAsync(User, $"mkdir -- {q(dir + "/src dir")} && printf 'one' > {q(dir + "/src dir/a 'file'.txt")} && printf 'two' > {q(dir + "/src dir/b.log")}");
        using var svc = f.Service();

        // cp and mv without an account (as the web UI sends them): the user's default account is charged.
        await RunAsync(svc.CopyAsync(User, RemotePath.Parse($"{dir}/src dir"), RemotePath.Parse($"{dir}/copy dir"), false, null, cts.Token), "Files were successfully copied.");
        Assert.Equal("one", await f.RunOkAsync(User, $"cat -- {q(dir + "/copy dir/a 'file'.txt")}"));

        await RunAsync(svc.MoveAsync(User, RemotePath.Parse($"{dir}/copy dir"), RemotePath.Parse($"{dir}/moved & dir"), null, cts.Token), "Files were successfully moved.");
        Assert.Equal("gone", (await f.RunOkAsync(User, $"test -e {q(dir + "/copy dir")} && echo there || echo gone")).Trim());
        Assert.Equal("two", await f.RunOkAsync(User, $"cat -- {q(dir + "/moved & dir/b.log")}"));

        await RunAsync(svc.CompressAsync(User, new CompressRequest(RemotePath.Parse($"{dir}/moved & dir"), RemotePath.Parse($"{dir}/arch 'x'.tar.bz2"), null, false, CompressionType.Bzip2), "hpcproj", cts.Token),
            "Files were successfully compressed.");
        await RunAsync(svc.CompressAsync(User, new CompressRequest(RemotePath.Parse($"{dir}/moved & dir"), RemotePath.Parse($"{dir}/only txt.tgz"), @".*\.txt"), "hpcproj", cts.Token),
            "Files were successfully compressed.");
        var listing = await f.RunOkAsync(User, $"tar -tzf {q(dir + "/only txt.tgz")}");
        Assert.Contains("a 'file'.txt", listing);
        Assert.DoesNotContain("b.log", listing);

        await f.RunOkAsync(User, $"mkdir -- {q(dir + "/out")}");
        await RunAsync(svc.ExtractAsync(User, new ExtractRequest(RemotePath.Parse($"{dir}/arch 'x'.tar.bz2"), RemotePath.Parse($"{dir}/out"), CompressionType.Bzip2), "hpcproj", cts.Token),
            "Files were successfully extracted.");
        Assert.Equal("one", await f.RunOkAsync(User, $"cat -- {q(dir + "/out/moved & dir/a 'file'.txt")}"));

        await RunAsync(svc.RemoveAsync(User, RemotePath.Parse($"{dir}/moved & dir"), "hpcproj", cts.Token), "Files were successfully deleted.");
        Assert.Equal("gone", (await f.RunOkAsync(User, $"test -e {q(dir + "/moved & dir")} && echo there || echo gone")).Trim());
    }

    [Fact]
    public async Task Account_the_user_may_not_charge_is_refused_at_submit()
    {
        var dir = await f.NewDirectoryAsync(TransferClusterFixture.User2);
        using var svc = f.Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.MoveAsync(TransferClusterFixture.User2, RemotePath.Parse($"{dir}/a"), RemotePath.Parse($"{dir}/b"), "hpcproj2"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("Invalid account", e.Message);
    }

    [Fact]
    public async Task Missing_source_of_a_move_fails_the_job_with_a_message_in_the_error_log()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var dir = await f.NewDirectoryAsync(User);
        using var svc = f.Service();
        var job = await svc.MoveAsync(User, RemotePath.Parse($"{dir}/missing"), RemotePath.Parse($"{dir}/b"), "hpcproj", cts.Token);
        var (state, _) = await f.WaitForJobAsync(User, job, JobDeadline, cts.Token);
        Assert.Equal(JobState.Failed, state);
        var err = await ErrorLogAsync(job);
        Assert.Contains("Unable to move files", err);
        Assert.Contains("No such file or directory", err);
    }

    [Fact]
    public async Task Download_of_a_missing_file_is_not_found_before_any_job()
    {
        var dir = await f.NewDirectoryAsync(User);
        using var svc = f.Service();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => svc.StartDownloadAsync(User, RemotePath.Parse($"{dir}/nope.bin"), "hpcproj"));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Expired_presigned_url_is_refused_and_the_ingress_job_gives_up_with_a_message()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var dir = await f.NewDirectoryAsync(User);
        using var svc = f.Service(ttl: 1);
        var r = await svc.StartUploadAsync(User, RemotePath.Parse($"{dir}/f7t-it-late.bin"), 100, "hpcproj", cancellationToken: cts.Token);
        await Task.Delay(2500, cts.Token);
        using var http = new HttpClient();
        using var put = await http.PutAsync(r.TransferDirectives!.PartsUploadUrls![0], new ByteArrayContent(new byte[100]), cts.Token);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("expired", await put.Content.ReadAsStringAsync(cts.Token), StringComparison.OrdinalIgnoreCase);

        var (state, _) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.Equal(JobState.Failed, state);
        Assert.Contains("before the transfer URLs expired", await ErrorLogAsync(r.TransferJob));
    }

    [Fact]
    public async Task Ingress_job_stops_waiting_after_wait_timeout_and_removes_the_staged_upload()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var dir = await f.NewDirectoryAsync(User);
        var settings = f.Settings();
        settings.DataOperation.DataTransfer!.WaitTimeout = 2;
        using var svc = new TransferService(settings, f.Scheduler, f.Shell, new S3ClientFactory()) { IngressPollInterval = TimeSpan.FromSeconds(1) };
        var r = await svc.StartUploadAsync(User, RemotePath.Parse($"{dir}/f7t-it-never.bin"), 100, "hpcproj", cancellationToken: cts.Token);
        using var http = new HttpClient();
        using (var put = await http.PutAsync(r.TransferDirectives!.PartsUploadUrls![0], new ByteArrayContent(new byte[100]), cts.Token))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var started = DateTime.UtcNow;
        var (state, _) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.Equal(JobState.Failed, state);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the job waited for the URLs' lifetime, not wait_timeout");
        var log = await ErrorLogAsync(r.TransferJob);
        Assert.Contains("the staged upload was removed", log);
        // The test store (s3rver) has no AbortMultipartUpload (it answers 405); a real store answers 204. The object
        // delete is answered by both.
        Assert.Matches("abort multipart upload HTTP [0-9]{3}, delete object HTTP 204", log);
    }

    [Fact]
    public async Task Upload_of_other_size_than_announced_fails_the_ingress_job_and_leaves_no_target()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var dir = await f.NewDirectoryAsync(User);
        using var svc = f.Service();
        var r = await svc.StartUploadAsync(User, RemotePath.Parse($"{dir}/f7t-it-short.bin"), 100, "hpcproj", cancellationToken: cts.Token);
        using var http = new HttpClient();
        using var put = await http.PutAsync(r.TransferDirectives!.PartsUploadUrls![0], new ByteArrayContent(new byte[60]), cts.Token);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await f.WaitForStoredPartsAsync(r.TransferDirectives.PartsUploadUrls, [60], cts.Token);
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{put.Headers.ETag!.Tag}</ETag></Part></CompleteMultipartUpload>";
        using var complete = await http.PostAsync(r.TransferDirectives.CompleteUploadUrl, new StringContent(xml, Encoding.UTF8, "application/xml"), cts.Token);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);

        var (state, _) = await f.WaitForJobAsync(User, r.TransferJob, JobDeadline, cts.Token);
        Assert.Equal(JobState.Failed, state);
        Assert.Contains("has 60 bytes, but 100 bytes were announced", await ErrorLogAsync(r.TransferJob));
        Assert.Equal("0", (await f.RunOkAsync(User, $"ls -A -- {ShellQuote.Quote(dir)} | wc -l")).Trim());
    }

    private async Task RunAsync(Task<TransferJob> submit, string sentinel)
    {
        var job = await submit;
        var (state, exit) = await f.WaitForJobAsync(User, job, JobDeadline);
        Assert.True(state == JobState.Completed, $"job {job.JobId} {state} {exit}: {await ErrorLogAsync(job)}");
        Assert.Contains(sentinel, await f.RunOkAsync(User, $"cat -- {ShellQuote.Quote(job.Logs.OutputLog)}"));
    }

    private async Task<string> AccountOfAsync(TransferJob job) =>
        (await f.RunOkAsync(User, $"sacct -n -P -X -o account -j {ShellQuote.Quote(job.JobId)}")).Trim();

    private async Task<string> ErrorLogAsync(TransferJob job)
    {
        var r = await f.RunAsync(User.Username == job.WorkingDirectory.Split('/')[^1] ? User : TransferClusterFixture.User2,
            $"cat -- {ShellQuote.Quote(job.Logs.ErrorLog)}");
        return r.Stdout + r.Stderr;
    }

    /// <summary>The lengths of the parts of an upload of <paramref name="length"/> bytes in parts of <paramref name="partSize"/>.</summary>
    private static long[] PartSizes(long length, long partSize) =>
        [.. Enumerable.Range(0, (int)((length + partSize - 1) / partSize)).Select(i => Math.Min(partSize, length - i * partSize))];
}
