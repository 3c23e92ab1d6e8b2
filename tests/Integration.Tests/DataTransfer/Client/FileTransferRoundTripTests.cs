using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Operations;

namespace Firecrest.Integration.Tests.DataTransfer.Client;

/// <summary>
/// Upload-then-download round trips of <see cref="FileTransferClient"/> against the local cluster and s3rver, through
/// whatever <see cref="Operations"/> a subclass gives (the direct engine, or the HTTP client on the real server).
/// Each test has its own deadline.
/// </summary>
public abstract class FileTransferRoundTripTests(FileTransferClientFixture fx)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    protected FileTransferClientFixture Fx { get; } = fx;

    protected abstract IHpcOperations Operations { get; }

    private FileTransferOptions Options() => new()
    {
        Account = Fx.Account,
        JobPollInterval = TimeSpan.FromMilliseconds(500),
        JobPollMaxInterval = TimeSpan.FromSeconds(2),
        JobTimeout = TimeSpan.FromMinutes(3),
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        // Every step is reported: with the default 200 ms between reports, 8 parts can all finish before the first one.
        ProgressInterval = TimeSpan.Zero,
    };

    private (FileTransferClient Client, CountingHandler Counter, HttpClient Http) NewClient()
    {
        var counter = new CountingHandler(new SocketsHttpHandler());
        var http = new HttpClient(counter) { Timeout = TimeSpan.FromMinutes(2) };
        return (new FileTransferClient(Operations, http), counter, http);
    }

    private async Task<string> RoundTripAsync(long size, string? name = null, ProgressLog? upProgress = null)
    {
        using var cts = new CancellationTokenSource(Deadline);
        var (client, counter, http) = NewClient();
        using var _ = http;
        var local = Fx.NewLocalFile(size, name is null ? null : "src " + name);
        var remote = $"{Fx.RemoteDir}/{name ?? Fx.NamePrefix + Guid.NewGuid().ToString("N")}";
        await client.UploadAsync(Fx.System, local, RemotePath.Parse(remote), Options(), upProgress, cts.Token);
        var back = Path.Combine(Fx.LocalDir, "back-" + Guid.NewGuid().ToString("N"));
        await client.DownloadAsync(Fx.System, RemotePath.Parse(remote), back, Options(), null, cts.Token);
        Assert.Equal(FileTransferClientFixture.Sha256(local), FileTransferClientFixture.Sha256(back));
        Assert.Equal(size, new FileInfo(back).Length);
        Assert.False(File.Exists(TransferStateFile.UploadPathFor(local)), "the upload state file is removed after success");
        Assert.False(File.Exists(TransferStateFile.DownloadPathFor(back)), "the download state file is removed after success");
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(back)), "no .part file is left after success");
        LastCounter = counter;
        return remote;
    }

    private CountingHandler? LastCounter { get; set; }

    [Fact]
    public async Task Round_trip_of_1_KiB_goes_through_ops_and_keeps_the_bytes()
    {
        await RoundTripAsync(1024);
        Assert.Equal(0, LastCounter!.Puts + LastCounter.Gets); // no presigned URL used
    }

    [Fact]
    public async Task Round_trip_of_max_ops_file_size_plus_one_byte_is_staged_through_S3()
    {
        await RoundTripAsync(Fx.MaxOpsFileSize + 1);
        Assert.Equal(1, LastCounter!.Puts);
        Assert.True(LastCounter.Gets >= 1);
    }

    [Fact]
    public async Task Round_trip_of_64_MiB_sends_8_parts_and_reports_progress_to_the_end()
    {
        var progress = new ProgressLog();
        await RoundTripAsync(64L * 1024 * 1024, upProgress: progress);
        Assert.Equal(8, LastCounter!.Puts);
        var items = progress.Items;
        Assert.Equal(TransferPhase.Completed, items[^1].Phase);
        Assert.Equal(64L * 1024 * 1024, items[^1].BytesDone);
        Assert.Contains(items, p => p.Phase == TransferPhase.Uploading && p.BytesDone > 0 && p.BytesDone < p.TotalBytes);
        Assert.Contains(items, p => p.Phase == TransferPhase.WaitingForJob);
        Assert.Contains(items, p => p.Phase == TransferPhase.Verifying);
        Assert.Contains(items, p => p.BytesPerSecond > 0);
    }

    [Fact]
    public async Task Round_trip_of_names_with_spaces_and_quotes_works_direct_and_staged()
    {
        await RoundTripAsync(2048, Fx.NamePrefix + "it's a \"quoted\" small file.txt");
        await RoundTripAsync(Fx.MaxOpsFileSize + 10, Fx.NamePrefix + "it's a \"quoted\" big file.bin");
    }

    [Fact]
    public async Task Interrupted_upload_resumes_without_resending_finished_parts()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var size = 40L * 1024 * 1024; // 5 parts of 8 MiB
        var local = Fx.NewLocalFile(size);
        var remote = $"{Fx.RemoteDir}/{Fx.NamePrefix}resumed-up";
        var options = Options();
        options.ParallelParts = 2;

        var (first, counter1, http1) = NewClient();
        using (http1)
        {
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            counter1.CancelRule = (HttpMethod.Put, 2, interrupt);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.UploadAsync(Fx.System, local, RemotePath.Parse(remote), options, null, interrupt.Token));
        }
        var state = await TransferStateFile.LoadAsync<UploadState>(TransferStateFile.UploadPathFor(local), deadline.Token);
        Assert.NotNull(state);
        Assert.InRange(state.Parts.Count, 1, 4);
        Assert.False(state.Completed);

        var (second, counter2, http2) = NewClient();
        using (http2)
            await second.UploadAsync(Fx.System, local, RemotePath.Parse(remote), options, null, deadline.Token);
        Assert.Equal(5 - state.Parts.Count, counter2.Puts);
        Assert.False(File.Exists(TransferStateFile.UploadPathFor(local)));
        var remoteSum = await Operations.Files.ChecksumAsync(Fx.System, RemotePath.Parse(remote), deadline.Token);
        Assert.Equal(FileTransferClientFixture.Sha256(local), remoteSum.Checksum);
    }

    [Fact]
    public async Task Interrupted_download_resumes_from_finished_ranges_and_never_shows_a_half_file()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var size = 12L * 1024 * 1024;
        var local = Fx.NewLocalFile(size);
        var remote = $"{Fx.RemoteDir}/{Fx.NamePrefix}resumed-down";
        var (uploader, _, httpUp) = NewClient();
        using (httpUp) await uploader.UploadAsync(Fx.System, local, RemotePath.Parse(remote), Options(), null, deadline.Token);

        var target = Path.Combine(Fx.LocalDir, "resumed-download.bin");
        var options = Options();
        options.DownloadRangeSize = 1024 * 1024; // 12 ranges
        options.ParallelParts = 2;
        var (first, counter1, http1) = NewClient();
        using (http1)
        {
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            counter1.CancelRule = (HttpMethod.Get, 3, interrupt);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DownloadAsync(Fx.System, RemotePath.Parse(remote), target, options, null, interrupt.Token));
        }
        Assert.False(File.Exists(target), "an interrupted download must not leave the target file");
        var state = await TransferStateFile.LoadAsync<DownloadState>(TransferStateFile.DownloadPathFor(target), deadline.Token);
        Assert.NotNull(state);
        Assert.True(state.JobCompleted);
        Assert.InRange(state.DoneRanges.Count, 1, 11);

        var (second, counter2, http2) = NewClient();
        using (http2) await second.DownloadAsync(Fx.System, RemotePath.Parse(remote), target, options, null, deadline.Token);
        Assert.Equal(12 - state.DoneRanges.Count, counter2.Gets);
        Assert.Equal(FileTransferClientFixture.Sha256(local), FileTransferClientFixture.Sha256(target));
    }

    [Fact]
    public async Task Staged_upload_with_an_unknown_account_fails_with_a_clear_error()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var local = Fx.NewLocalFile(Fx.MaxOpsFileSize + 1);
        var options = Options();
        options.Account = "no-such-account-f7t";
        var (client, counter, http) = NewClient();
        using (http)
        {
            var e = await Assert.ThrowsAnyAsync<HpcException>(() =>
                client.UploadAsync(Fx.System, local, RemotePath.Parse($"{Fx.RemoteDir}/{Fx.NamePrefix}bad-account"), options, null, deadline.Token));
            Assert.Contains("account", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(0, counter.Puts);
    }

    [Fact]
    public async Task Download_of_a_missing_file_is_NotFound_and_leaves_no_local_file()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var target = Path.Combine(Fx.LocalDir, "never.bin");
        var (client, _, http) = NewClient();
        using (http)
        {
            var e = await Assert.ThrowsAnyAsync<HpcException>(() =>
                client.DownloadAsync(Fx.System, RemotePath.Parse($"{Fx.RemoteDir}/no such file"), target, Options(), null, deadline.Token));
            Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        }
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(target)));
    }

    [Fact]
    public async Task Upload_into_a_missing_directory_is_NotFound_before_any_part_is_sent()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var local = Fx.NewLocalFile(Fx.MaxOpsFileSize + 1);
        var (client, counter, http) = NewClient();
        using (http)
        {
            var e = await Assert.ThrowsAnyAsync<HpcException>(() =>
                client.UploadAsync(Fx.System, local, RemotePath.Parse($"{Fx.RemoteDir}/missing-dir/file.bin"), Options(), null, deadline.Token));
            Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        }
        Assert.Equal(0, counter.Puts);
    }
}

/// <summary>The round trips straight through the engine (direct mode).</summary>
[Trait("Category", "Integration")]
public sealed class FileTransferClientDirectTests(FileTransferClientFixture fx)
    : FileTransferRoundTripTests(fx), IClassFixture<FileTransferClientFixture>
{
    protected override IHpcOperations Operations => Fx.Ops;
}
