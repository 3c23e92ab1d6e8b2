using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;

namespace Firecrest.Core.Tests.DataTransfer.Client;

public sealed class PartPlanTests
{
    [Fact]
    public void Split_makes_full_parts_and_a_shorter_last_one()
    {
        var parts = PartPlan.Split(250, 100);
        Assert.Equal([new FilePart(1, 0, 100), new FilePart(2, 100, 100), new FilePart(3, 200, 50)], parts);
        Assert.Equal(249, parts[^1].LastByte);
    }

    [Fact]
    public void Split_of_an_exact_multiple_has_no_empty_tail_and_empty_file_has_no_parts()
    {
        Assert.Equal(2, PartPlan.Split(200, 100).Count);
        Assert.Empty(PartPlan.Split(0, 100));
        Assert.Single(PartPlan.Split(1, 100));
    }

    [Fact]
    public void Split_refuses_a_url_count_that_does_not_fit_the_size()
    {
        var e = Assert.ThrowsAny<HpcException>(() => PartPlan.Split(250, 100, expectedParts: 2));
        Assert.Contains("2 part URLs", e.Message);
    }

    [Fact]
    public void Split_refuses_a_non_positive_part_size()
    {
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.ThrowsAny<HpcException>(() => PartPlan.Split(10, 0)).Kind);
    }
}

public sealed class TransferRetryTests
{
    [Fact]
    public void Backoff_doubles_until_the_cap_and_jitter_scales_it_between_half_and_full()
    {
        var r = new TransferRetry(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        Assert.Equal(100, r.BackoffDelay(1, 1).TotalMilliseconds);
        Assert.Equal(200, r.BackoffDelay(2, 1).TotalMilliseconds);
        Assert.Equal(400, r.BackoffDelay(3, 1).TotalMilliseconds);
        Assert.Equal(500, r.BackoffDelay(4, 1).TotalMilliseconds);
        Assert.Equal(500, r.BackoffDelay(40, 1).TotalMilliseconds);
        Assert.Equal(50, r.BackoffDelay(1, 0).TotalMilliseconds);
    }

    [Fact]
    public async Task Transient_errors_are_retried_until_success()
    {
        var delays = new List<TimeSpan>();
        var r = new TransferRetry(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), (d, _) => { delays.Add(d); return Task.CompletedTask; }, () => 1);
        var failures = 0;
        var result = await r.RunAsync("op", (n, _) => n < 3 ? throw new HttpRequestException("reset") : Task.FromResult(n), default, () => failures++);
        Assert.Equal(3, result);
        Assert.Equal(2, failures);
        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)], delays);
    }

    [Fact]
    public async Task Exhausted_retries_give_Unavailable_with_the_attempt_count()
    {
        var r = new TransferRetry(2, TimeSpan.Zero, TimeSpan.Zero, (_, _) => Task.CompletedTask);
        var calls = 0;
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => r.RunAsync<int>("PUT of part 7", (_, _) =>
        {
            calls++;
            throw TransferRetry.ErrorFor(System.Net.HttpStatusCode.BadGateway, "PUT", "oops");
        }, default));
        Assert.Equal(3, calls);
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Contains("PUT of part 7 failed after 3 attempts", e.Message);
    }

    [Fact]
    public async Task Final_http_errors_and_caller_cancellation_are_not_retried()
    {
        var r = new TransferRetry(5, TimeSpan.Zero, TimeSpan.Zero, (_, _) => Task.CompletedTask);
        var calls = 0;
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => r.RunAsync<int>("op", (_, _) =>
        {
            calls++;
            throw TransferRetry.ErrorFor(System.Net.HttpStatusCode.Forbidden, "PUT", null);
        }, default));
        Assert.Equal(1, calls);
        Assert.Equal(HpcErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("expired", e.Message);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => r.RunAsync<int>("op", (_, c) => { calls++; c.ThrowIfCancellationRequested(); return Task.FromResult(1); }, cts.Token));
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    public void ErrorFor_marks_408_429_and_5xx_transient(int status, bool transient)
    {
        var e = TransferRetry.ErrorFor((System.Net.HttpStatusCode)status, "x", null);
        Assert.Equal(transient, TransferRetry.IsTransient(e, default));
    }
}

public sealed class ProgressMeterTests
{
    [Fact]
    public void Estimate_gives_rate_of_this_run_and_time_left()
    {
        var (rate, left) = ProgressMeter.Estimate(movedThisRun: 200, elapsed: TimeSpan.FromSeconds(2), bytesLeft: 500);
        Assert.Equal(100, rate);
        Assert.Equal(TimeSpan.FromSeconds(5), left);
        var (rate0, left0) = ProgressMeter.Estimate(0, TimeSpan.FromSeconds(1), 10);
        Assert.Equal(0, rate0);
        Assert.Null(left0);
    }

    [Fact]
    public void Meter_counts_earlier_parts_as_done_but_not_in_the_rate_and_takes_back_failed_bytes()
    {
        var clock = new ManualClock();
        var reports = new List<TransferProgress>();
        var meter = new ProgressMeter(1000, 400, new Sink(reports), clock, TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(2));
        meter.Add(200);
        Assert.Equal(600, reports[^1].BytesDone);
        Assert.Equal(100, reports[^1].BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(4), reports[^1].EstimatedRemaining);
        meter.Add(-50);
        Assert.Equal(550, meter.BytesDone);
        meter.Enter(TransferPhase.Verifying);
        Assert.Equal(TransferPhase.Verifying, reports[^1].Phase);
        Assert.Equal(55, reports[^1].Percent);
    }

    [Fact]
    public void Reports_are_throttled_but_phase_changes_always_reported()
    {
        var clock = new ManualClock();
        var reports = new List<TransferProgress>();
        var meter = new ProgressMeter(1000, 0, new Sink(reports), clock, TimeSpan.FromSeconds(1));
        meter.Add(1);
        meter.Add(1);
        meter.Add(1);
        Assert.Single(reports);
        clock.Advance(TimeSpan.FromSeconds(1));
        meter.Add(1);
        Assert.Equal(2, reports.Count);
        meter.Enter(TransferPhase.Completed);
        Assert.Equal(3, reports.Count);
    }

    private sealed class Sink(List<TransferProgress> items) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => items.Add(value);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

public sealed class TransferStateFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Upload_state_round_trips_and_matches_only_the_same_unchanged_file()
    {
        var path = Path.Combine(_dir, "a.f7t-upload.json");
        var state = new UploadState
        {
            System = "s", RemotePath = "/r/it's \"x\"", LocalSize = 10, LocalWriteTimeTicks = 5, LocalSha256 = "ab",
            PartUrls = ["u1", "u2"], CompleteUrl = "c", PartSize = 5, Parts = [new UploadedPart { Number = 2, ETag = "\"e\"" }],
        };
        await TransferStateFile.SaveAsync(path, state, default);
        var back = await TransferStateFile.LoadAsync<UploadState>(path, default);
        Assert.NotNull(back);
        Assert.Equal("\"e\"", back.Parts.Single().ETag);
        Assert.True(back.Matches("s", "/r/it's \"x\"", 10, 5, "AB"));
        Assert.False(back.Matches("s", "/r/it's \"x\"", 11, 5, "ab"));
        Assert.False(back.Matches("s", "/r/it's \"x\"", 10, 6, "ab"));
        Assert.False(back.Matches("s", "/r/other", 10, 5, "ab"));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Broken_or_missing_state_reads_as_none()
    {
        var path = Path.Combine(_dir, "b.json");
        Assert.Null(await TransferStateFile.LoadAsync<DownloadState>(path, default));
        await File.WriteAllTextAsync(path, "{ not json");
        Assert.Null(await TransferStateFile.LoadAsync<DownloadState>(path, default));
    }

    [Fact]
    public void Complete_xml_lists_parts_in_order_and_refuses_gaps()
    {
        var xml = CompleteMultipartXml.Build([new UploadedPart { Number = 2, ETag = "\"b\"" }, new UploadedPart { Number = 1, ETag = "\"a\"" }], 2);
        Assert.True(xml.IndexOf("<PartNumber>1</PartNumber>", StringComparison.Ordinal) < xml.IndexOf("<PartNumber>2</PartNumber>", StringComparison.Ordinal));
        Assert.ThrowsAny<HpcException>(() => CompleteMultipartXml.Build([new UploadedPart { Number = 2, ETag = "x" }], 2));
        Assert.True(CompleteMultipartXml.IsError("<Error><Code>InternalError</Code></Error>"));
    }
}
