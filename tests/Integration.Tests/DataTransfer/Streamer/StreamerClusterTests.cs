using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firecrest.Core;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Streamer;

namespace Firecrest.Integration.Tests.DataTransfer.Streamer;

/// <summary>
/// Streamer transfers end to end on the local cluster: the REST answer, the transfer job in Slurm running our streamer,
/// the client streaming straight to and from it (one hop), and each refusal (secret, limit, wait timeout, target
/// exists, source missing). All in one class, so that they run one after another.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class StreamerClusterTests(StreamerClusterFixture fx) : IClassFixture<StreamerClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    private FileTransferOptions Options() => new()
    {
        Account = fx.Account,
        JobPollInterval = TimeSpan.FromMilliseconds(300),
        JobPollMaxInterval = TimeSpan.FromSeconds(2),
        JobTimeout = TimeSpan.FromMinutes(3),
    };

    private async Task RoundTripAsync(IHpcOperations ops, long size)
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var http = new HttpClient();
        var client = new FileTransferClient(ops, http);
        var local = fx.NewLocalFile(size);
        var remote = fx.NewRemotePath();
        var up = new Progress();
        await client.UploadAsync(fx.System, local, RemotePath.Parse(remote), Options(), up, cts.Token);
        var back = Path.Combine(fx.LocalDir, "back-" + Guid.NewGuid().ToString("N"));
        await client.DownloadAsync(fx.System, RemotePath.Parse(remote), back, Options(), null, cts.Token);

        Assert.Equal(StreamerClusterFixture.Sha256(local), StreamerClusterFixture.Sha256(back));
        Assert.Equal((TransferPhase.Completed, size), (up.Last!.Phase, up.Last.BytesDone));
        Assert.Contains(up.Phases, p => p == TransferPhase.Uploading);
        Assert.False(File.Exists(TransferStateFile.PartialPathFor(back)));
        var remoteSum = await fx.Ops.Files.ChecksumAsync(fx.System, RemotePath.Parse(remote), cts.Token);
        Assert.Equal(StreamerClusterFixture.Sha256(local), remoteSum.Checksum);
    }

    [Fact]
    public Task Round_trip_through_the_engine_streams_both_ways_with_matching_sha256() => RoundTripAsync(fx.Ops, 3L * 1024 * 1024 + 7);

    [Fact]
    public Task Round_trip_through_the_rest_api_streams_both_ways_with_matching_sha256() => RoundTripAsync(fx.Remote, 2L * 1024 * 1024 + 1);

    [Fact]
    public async Task Uploading_onto_an_existing_file_replaces_it_through_a_part_file_and_a_move_job()
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var http = new HttpClient();
        var client = new FileTransferClient(fx.Ops, http);
        var remote = fx.NewRemotePath();
        await client.UploadAsync(fx.System, fx.NewLocalFile(2L * 1024 * 1024), RemotePath.Parse(remote), Options(), null, cts.Token);
        var second = fx.NewLocalFile(1024L * 1024 + 3);

        await client.UploadAsync(fx.System, second, RemotePath.Parse(remote), Options(), null, cts.Token);

        Assert.Equal(StreamerClusterFixture.Sha256(second), (await fx.Ops.Files.ChecksumAsync(fx.System, RemotePath.Parse(remote), cts.Token)).Checksum);
        var left = await fx.Ops.Files.ListAsync(fx.System, RemotePath.Parse(fx.RemoteDir), new ListOptions(ShowHidden: true), cts.Token);
        Assert.DoesNotContain(left, f => f.Name.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rest_upload_answers_coordinates_and_the_job_takes_pyfirecrest_frames_with_a_binary_eof_with_spaces()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var http = await fx.Live.ClientForAsync();
        var remote = fx.NewRemotePath();
        var response = await http.PostAsJsonAsync($"/filesystem/{fx.System}/transfer/upload",
            new { path = remote, account = fx.Account, transferDirectives = new { transferMethod = "streamer" } }, cts.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token)).RootElement;
        var directives = body.GetProperty("transferDirectives");
        Assert.Equal(["transferMethod", "coordinates"], directives.EnumerateObject().Select(p => p.Name));
        var job = JsonSerializer.Deserialize<TransferJob>(body.GetProperty("transferJob").GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        fx.Track(job);
        var coordinates = StreamerCoordinates.Decode(directives.GetProperty("coordinates").GetString());

        // pyFirecREST's sender: json.dumps spacing, chunks of its own size, the eof as a binary frame
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 11);
        var sha = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
        using (var socket = await ConnectAsync(coordinates, job, cts.Token))
        {
            await Send(socket, $$"""{"type": "init", "num_chunks": 2, "file_size": {{data.Length}}}""", cts.Token);
            await socket.SendAsync(data.AsMemory(0, 2 * 1024 * 1024), WebSocketMessageType.Binary, true, cts.Token);
            await socket.SendAsync(data.AsMemory(2 * 1024 * 1024), WebSocketMessageType.Binary, true, cts.Token);
            await Send(socket, $$"""{"type": "eof", "sha256_hash": "{{sha}}"}""", cts.Token);
            var buffer = new byte[1024];
            var r = await socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            Assert.Equal(WebSocketMessageType.Close, r.MessageType);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        }

        Assert.Equal(JobState.Completed, (await fx.WaitEndedAsync(fx.Ops, job, cts.Token)).State);
        Assert.Equal(sha, (await fx.Ops.Files.ChecksumAsync(fx.System, RemotePath.Parse(remote), cts.Token)).Checksum);
        var log = await fx.Ops.Files.TailAsync(fx.System, RemotePath.Parse(job.Logs.OutputLog), lines: 20, cancellationToken: cts.Token);
        Assert.Contains($"SHA-256: {sha}", log.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_upload_onto_an_existing_target_is_403_and_download_of_a_missing_source_404_before_any_job()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var http = await fx.Live.ClientForAsync();
        var existing = fx.NewRemotePath();
        await using (var content = new MemoryStream("x"u8.ToArray()))
            await fx.Ops.Files.UploadAsync(fx.System, RemotePath.Parse(fx.RemoteDir), existing[(fx.RemoteDir.Length + 1)..], content, cts.Token);

        var up = await http.PostAsJsonAsync($"/filesystem/{fx.System}/transfer/upload",
            new { path = existing, account = fx.Account, transferDirectives = new { transferMethod = "streamer" } }, cts.Token);
        Assert.Equal(HttpStatusCode.Forbidden, up.StatusCode);
        Assert.Equal($"Target file '{existing}' already exists.", JsonDocument.Parse(await up.Content.ReadAsStringAsync(cts.Token)).RootElement.GetProperty("message").GetString());

        var down = await http.PostAsJsonAsync($"/filesystem/{fx.System}/transfer/download",
            new { path = fx.NewRemotePath(), account = fx.Account, transferDirectives = new { transferMethod = "streamer" } }, cts.Token);
        Assert.Equal(HttpStatusCode.NotFound, down.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_403_and_the_streamer_keeps_waiting_for_the_right_one()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var remote = fx.NewRemotePath();
        var answer = await fx.Ops.Transfers.StartStreamerUploadAsync(fx.System, RemotePath.Parse(remote), fx.Account, cts.Token);
        var job = fx.Track(answer.TransferJob);
        var coordinates = StreamerCoordinates.Decode(answer.TransferDirectives!.Coordinates);
        var port = await ListeningPortAsync(job, cts.Token);

        var (refused, refusals) = await StreamerConnector.TryConnectAsync(coordinates with { Ports = [port, port], Secret = "not-the-secret" }, cts.Token);
        Assert.Null(refused);
        Assert.Contains($"127.0.0.1:{port} answered HTTP 403 (wrong secret", Assert.Single(refusals), StringComparison.Ordinal);

        var data = RandomNumberGenerator.GetBytes(100_000);
        using (var socket = await ConnectAsync(coordinates with { Ports = [port, port] }, job, cts.Token))
            await StreamerPeer.SendAsync(socket, new MemoryStream(data), data.Length, null, cts.Token);
        Assert.Equal(JobState.Completed, (await fx.WaitEndedAsync(fx.Ops, job, cts.Token)).State);
        var log = await fx.Ops.Files.TailAsync(fx.System, RemotePath.Parse(job.Logs.OutputLog), lines: 20, cancellationToken: cts.Token);
        Assert.Contains("wrong secret (403)", log.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_inbound_transfer_limit_fails_as_too_large_and_leaves_no_file()
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var http = new HttpClient();
        var local = fx.NewLocalFile(StreamerClusterFixture.InboundLimit + 1);
        var remote = fx.NewRemotePath();
        var e = await Assert.ThrowsAsync<HpcException>(() =>
            new FileTransferClient(fx.Ops, http).UploadAsync(fx.System, local, RemotePath.Parse(remote), Options(), null, cts.Token));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        Assert.Contains("inbound transfer limit", e.Message, StringComparison.Ordinal);

        var id = JobInMessage().Match(e.Message).Groups[1].Value;
        var meta = (await fx.Ops.Compute.GetJobMetadataAsync(fx.System, JobId.Parse(id), cts.Token)).First();
        var job = new TransferJob { JobId = id, System = fx.System, Logs = new TransferJobLogs { OutputLog = meta.StandardOutput ?? "", ErrorLog = meta.StandardError ?? "" } };
        Assert.Equal(JobState.Failed, (await fx.WaitEndedAsync(fx.Ops, job, cts.Token)).State);
        var missing = await Assert.ThrowsAsync<HpcException>(() => fx.Ops.Files.StatAsync(fx.System, RemotePath.Parse(remote), cancellationToken: cts.Token));
        Assert.Equal(HpcErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Without_a_client_the_job_ends_after_the_wait_timeout()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var remote = fx.NewRemotePath();
        var answer = await fx.ShortWaitOps.Transfers.StartStreamerUploadAsync(fx.System, RemotePath.Parse(remote), fx.Account, cts.Token);

        var ended = await fx.WaitEndedAsync(fx.Ops, answer.TransferJob, cts.Token);

        Assert.Equal(JobState.Failed, ended.State);
        var errors = await fx.Ops.Files.TailAsync(fx.System, RemotePath.Parse(answer.TransferJob.Logs.ErrorLog), lines: 5, cancellationToken: cts.Token);
        Assert.Contains($"within the wait timeout ({StreamerClusterFixture.ShortWaitSeconds} s)", errors.Content, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HpcException>(() => fx.Ops.Files.StatAsync(fx.System, RemotePath.Parse(remote), cancellationToken: cts.Token));
    }

    /// <summary>Connects with the coordinates' secret, retrying while the job is queued or starting.</summary>
    private async Task<WebSocket> ConnectAsync(StreamerCoordinates coordinates, TransferJob job, CancellationToken ct)
    {
        while (true)
        {
            var (socket, _) = await StreamerConnector.TryConnectAsync(coordinates, ct);
            if (socket is not null) return socket;
            await FailIfEndedAsync(job, "before its streamer took the connection", ct);
            await Task.Delay(300, ct);
        }
    }

    /// <summary>Fails the test when the job ended (e.g. cancelled), instead of waiting for the deadline.</summary>
    private async Task FailIfEndedAsync(TransferJob job, string what, CancellationToken ct)
    {
        try
        {
            var state = (await fx.Ops.Compute.GetJobAsync(fx.System, JobId.Parse(job.JobId), ct)).FirstOrDefault()?.State;
            if (state is { } s && JobStates.IsFinal(s)) Assert.Fail($"transfer job {job.JobId} ended {s} {what}");
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
        {
            // not listed yet
        }
    }

    /// <summary>The port the job's streamer listens on, from its log line.</summary>
    private async Task<int> ListeningPortAsync(TransferJob job, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var log = await fx.Ops.Files.TailAsync(fx.System, RemotePath.Parse(job.Logs.OutputLog), lines: 20, cancellationToken: ct);
                if (ListeningLine().Match(log.Content ?? "") is { Success: true } m) return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
            {
                // the job has not started yet
            }
            await FailIfEndedAsync(job, "before its streamer logged its port", ct);
            await Task.Delay(300, ct);
        }
    }

    private static Task Send(WebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Binary, true, ct).AsTask();

    [GeneratedRegex(@"Streamer listening on [^ ]+:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"transfer job (\w+)")]
    private static partial Regex JobInMessage();

    private sealed class Progress : IProgress<TransferProgress>
    {
        private readonly List<TransferProgress> _items = [];

        public TransferProgress? Last { get { lock (_items) return _items.Count == 0 ? null : _items[^1]; } }

        public IReadOnlyList<TransferPhase> Phases { get { lock (_items) return _items.Select(i => i.Phase).ToList(); } }

        public void Report(TransferProgress value) { lock (_items) _items.Add(value); }
    }
}
