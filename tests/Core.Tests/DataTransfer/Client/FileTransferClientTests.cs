using System.Security.Cryptography;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;

namespace Firecrest.Core.Tests.DataTransfer.Client;

public sealed class FileTransferClientTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "f7t-ftc-" + Guid.NewGuid().ToString("N"));
    private readonly FakeStagingOperations _fake = new();
    private readonly HttpClient _http;
    private readonly FileTransferClient _client;
    private readonly List<TimeSpan> _delays = [];

    public FileTransferClientTests()
    {
        Directory.CreateDirectory(_dir);
        _http = new HttpClient(_fake);
        _client = new FileTransferClient(_fake, _http) { RetryDelay = (d, _) => { lock (_delays) _delays.Add(d); return Task.CompletedTask; } };
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static FileTransferOptions Fast() => new()
    {
        CompleteDelay = TimeSpan.Zero, JobPollInterval = TimeSpan.FromMilliseconds(1), JobPollMaxInterval = TimeSpan.FromMilliseconds(1),
        ParallelParts = 3, DownloadRangeSize = 64,
    };

    private string LocalFile(int size)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".src");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    // Uploads a new local file of `size` bytes while every part PUT fails: its saved state stays, with no part and its
    // job waiting. Later PUTs succeed.
    private async Task<string> InterruptedUploadAsync(int size, int parallelParts = 3)
    {
        var local = LocalFile(size);
        _fake.FailPuts = 100;
        var options = Fast();
        options.ParallelParts = parallelParts;
        options.MaxRetries = 0;
        await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), options));
        _fake.FailPuts = 0;
        return local;
    }

    [Fact]
    public async Task Small_file_goes_through_ops_upload_without_staging()
    {
        var local = LocalFile(10); // == max_ops_file_size
        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast());
        Assert.Equal(0, _fake.StartUploads);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
    }

    [Fact]
    public async Task Large_file_is_sent_in_parts_and_completed_with_sorted_etags()
    {
        var local = LocalFile(450); // 5 parts of 100
        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast());
        Assert.Equal(1, _fake.StartUploads);
        Assert.Equal(5, _fake.PutAttempts);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
        Assert.Contains("<Part><PartNumber>5</PartNumber><ETag>&quot;etag-5&quot;</ETag></Part></CompleteMultipartUpload>", _fake.LastCompleteXml);
        Assert.False(File.Exists(TransferStateFile.UploadPathFor(local)));
    }

    [Fact]
    public async Task Part_answering_503_is_retried_with_growing_backoff()
    {
        var local = LocalFile(150);
        _fake.FailPuts = 2;
        var options = Fast();
        options.ParallelParts = 1;
        options.RetryInitialDelay = TimeSpan.FromMilliseconds(100);
        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), options);
        Assert.Equal(4, _fake.PutAttempts);
        Assert.Equal(2, _delays.Count);
        Assert.InRange(_delays[0].TotalMilliseconds, 50, 100);
        Assert.InRange(_delays[1].TotalMilliseconds, 100, 200);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
    }

    [Fact]
    public async Task Part_failing_beyond_the_retries_fails_and_keeps_the_state_for_a_resume()
    {
        var local = LocalFile(150);
        _fake.FailPuts = 100;
        var options = Fast();
        options.ParallelParts = 1;
        options.MaxRetries = 2;
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), options));
        Assert.Contains("after 3 attempts", e.Message);
        Assert.True(File.Exists(TransferStateFile.UploadPathFor(local)));
    }

    [Fact]
    public async Task Resume_sends_only_the_parts_missing_from_the_state()
    {
        var local = await InterruptedUploadAsync(450, parallelParts: 1);
        // pretend parts 1 and 2 went through in the first run: store them as the fake would have, and record them with
        // the file's hash as the client does with the first finished part (a state saved before any part has none)
        var statePath = TransferStateFile.UploadPathFor(local);
        var state = (await TransferStateFile.LoadAsync<UploadState>(statePath, default))!;
        Assert.Equal("", state.LocalSha256);
        var bytes = File.ReadAllBytes(local);
        state.LocalSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        foreach (var n in new[] { 1, 2 })
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, state.PartUrls[n - 1]) { Content = new ByteArrayContent(bytes[((n - 1) * 100)..(n * 100)]) };
            _fake.FailPuts = 0;
            using var _ = await _http.SendAsync(put);
            state.Parts.Add(new UploadedPart { Number = n, ETag = $"\"etag-{n}\"" });
        }
        await TransferStateFile.SaveAsync(statePath, state, default);
        _fake.PutAttempts = 0;

        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast());
        Assert.Equal(1, _fake.StartUploads);
        Assert.Equal(3, _fake.PutAttempts);
        Assert.Equal(bytes, _fake.Object);
    }

    [Fact]
    public async Task Changed_local_file_does_not_resume_an_old_state()
    {
        var local = await InterruptedUploadAsync(450);
        File.WriteAllBytes(local, RandomNumberGenerator.GetBytes(450));
        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast());
        Assert.Equal(2, _fake.StartUploads);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
        // The first staging's job would wait for parts that never come: it is cancelled when the new one starts.
        Assert.Equal(["fake/42"], _fake.Cancelled);
    }

    [Fact]
    public async Task Upload_stopped_before_its_first_part_continues_with_the_same_job()
    {
        var local = await InterruptedUploadAsync(450, parallelParts: 1);
        var saved = (await TransferStateFile.LoadAsync<UploadState>(TransferStateFile.UploadPathFor(local), default))!;
        Assert.Equal(("", 0), (saved.LocalSha256, saved.Parts.Count));

        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast());
        Assert.Equal(1, _fake.StartUploads);
        Assert.Empty(_fake.Cancelled);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
        Assert.False(File.Exists(TransferStateFile.UploadPathFor(local)));
    }

    [Fact]
    public async Task Starting_over_without_resume_cancels_the_saved_uploads_job()
    {
        var local = await InterruptedUploadAsync(450);
        var again = Fast();
        again.Resume = false;
        await _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), again);
        Assert.Equal(2, _fake.StartUploads);
        Assert.Equal(["fake/42"], _fake.Cancelled);
        Assert.Equal(File.ReadAllBytes(local), _fake.Object);
    }

    [Fact]
    public async Task Checksum_mismatch_after_upload_is_an_error_naming_both_digests()
    {
        var local = LocalFile(450);
        _fake.ChecksumOverride = new string('0', 64);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast()));
        Assert.Contains("SHA-256 mismatch", e.Message);
        Assert.Contains(new string('0', 64), e.Message);
    }

    [Fact]
    public async Task Failed_transfer_job_is_an_error_quoting_its_error_log()
    {
        var local = LocalFile(450);
        _fake.JobState = "FAILED";
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("fake", local, RemotePath.Parse("/home/u/a.bin"), Fast()));
        Assert.Contains("FAILED", e.Message);
        Assert.Contains("curl: (7) Failed to connect", e.Message);
        Assert.False(File.Exists(TransferStateFile.UploadPathFor(local)));
    }

    [Fact]
    public async Task Staged_download_writes_ranges_in_parallel_and_renames_only_when_verified()
    {
        _fake.Object = RandomNumberGenerator.GetBytes(1000);
        var target = Path.Combine(_dir, "out.dat");
        var progress = new List<TransferProgress>();
        await _client.DownloadAsync("fake", RemotePath.Parse("/home/u/big.bin"), target, Fast(), new SyncProgress(progress));
        Assert.Equal(_fake.Object, File.ReadAllBytes(target));
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(target)));
        Assert.False(File.Exists(TransferStateFile.DownloadPathFor(target)));
        Assert.Equal(TransferPhase.Completed, progress[^1].Phase);
        Assert.Equal(1000, progress[^1].BytesDone);
    }

    [Fact]
    public async Task Download_with_wrong_checksum_leaves_no_target_and_no_partial_file()
    {
        _fake.Object = RandomNumberGenerator.GetBytes(1000);
        _fake.ChecksumOverride = new string('f', 64);
        var target = Path.Combine(_dir, "out.dat");
        await Assert.ThrowsAnyAsync<HpcException>(() => _client.DownloadAsync("fake", RemotePath.Parse("/home/u/big.bin"), target, Fast()));
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(target)));
    }

    [Fact]
    public async Task Unknown_system_is_NotFound()
    {
        var local = LocalFile(5);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("nope", local, RemotePath.Parse("/home/u/a.bin"), new FileTransferOptions()));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
    }

    [Theory]
    [InlineData("relative/a.bin")]
    [InlineData("/home/u/")]
    [InlineData("")]
    public async Task Remote_path_that_is_not_an_absolute_file_path_is_InvalidArgument(string remote)
    {
        var local = LocalFile(5);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => _client.UploadAsync("fake", local, RemotePath.Parse(remote), Fast()));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    private sealed class SyncProgress(List<TransferProgress> items) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (items) items.Add(value);
        }
    }
}
