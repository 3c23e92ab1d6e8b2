using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Streamer;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Core.Tests.DataTransfer.Streaming;

/// <summary>The job's streamer in process on loopback: secret at the upgrade, first free port, limit, wait timeout, one transfer.</summary>
public sealed class StreamerServerTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-streamer-").FullName;
    private readonly StringWriter _log = new();
    private readonly StringWriter _errors = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private StreamerServer Server(StreamerMode mode, string path, long limit = 1 << 30, TimeProvider? time = null, int? firstPort = null, TimeSpan? wait = null)
    {
        var first = firstPort ?? WebSocketPair.FreePort();
        return new StreamerServer(new StreamerServerOptions
        {
            Secret = "right-secret", Mode = mode, Path = path, Host = "127.0.0.1", FirstPort = first, LastPort = Math.Min(65535, first + 50),
            InboundTransferLimit = limit, WaitTimeout = wait ?? TimeSpan.FromHours(1),
        }, _log, _errors, time);
    }

    private static StreamerCoordinates At(StreamerServer server, string secret) => new([server.Port, server.Port], ["127.0.0.1"], secret);

    [Fact]
    public async Task Upgrades_without_the_secret_are_401_and_with_another_403_and_the_streamer_keeps_waiting()
    {
        var target = Path.Combine(_dir, "up.bin");
        using var server = Server(StreamerMode.Receive, target);
        server.Start();
        using var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);

        var (none, _) = await StreamerConnector.TryConnectAsync(At(server, "right-secret") with { Secret = " " }, CancellationToken.None);
        var (wrong, refusals) = await StreamerConnector.TryConnectAsync(At(server, "wrong-secret"), CancellationToken.None);
        Assert.Null(none);
        Assert.Null(wrong);
        Assert.Contains("HTTP 403 (wrong secret", Assert.Single(refusals), StringComparison.Ordinal);
        using (var raw = new ClientWebSocket())
        {
            raw.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => raw.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, raw.HttpStatusCode);
        }

        var data = RandomNumberGenerator.GetBytes(1024 * 1024 + 5);
        var (socket, _) = await StreamerConnector.TryConnectAsync(At(server, "right-secret"), CancellationToken.None);
        Assert.NotNull(socket);
        using (socket)
            await StreamerPeer.SendAsync(socket, new MemoryStream(data), data.Length, null, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(StreamerExitCodes.Success, await run.WaitAsync(Guard));
        Assert.Equal(data, await File.ReadAllBytesAsync(target));
        var log = _log.ToString();
        Assert.Contains("wrong secret (403)", log, StringComparison.Ordinal);
        Assert.Contains($"SHA-256: {Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant()}", log, StringComparison.Ordinal);
        Assert.Contains("File was successfully received", log, StringComparison.Ordinal);
        Assert.Equal("", _errors.ToString());
    }

    [Fact]
    public void It_binds_the_first_free_port_of_the_range()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var server = Server(StreamerMode.Receive, Path.Combine(_dir, "x"), firstPort: busy);
        server.Start();
        Assert.True(server.Port > busy, $"bound {server.Port}, the busy port was {busy}");
        Assert.Contains($"listening on 127.0.0.1:{server.Port}", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_client_it_exits_after_the_wait_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var server = Server(StreamerMode.Receive, Path.Combine(_dir, "never"), time: time, wait: TimeSpan.FromSeconds(30));
        server.Start();
        var run = server.RunAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StreamerExitCodes.WaitTimeout, await run.WaitAsync(Guard));
        Assert.Contains("within the wait timeout (30 s)", _errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "never")));
    }

    [Fact]
    public async Task An_upload_over_the_inbound_limit_is_closed_1009_and_the_streamer_exits_with_a_failure()
    {
        var target = Path.Combine(_dir, "limited.bin");
        using var server = Server(StreamerMode.Receive, target, limit: 1000);
        server.Start();
        var run = server.RunAsync(CancellationToken.None);
        var (socket, _) = await StreamerConnector.TryConnectAsync(At(server, "right-secret"), CancellationToken.None);
        using (socket)
        {
            var e = await Assert.ThrowsAsync<StreamerException>(() => StreamerPeer.SendAsync(socket!, new MemoryStream(new byte[4000]), 4000, null, CancellationToken.None).WaitAsync(Guard));
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, e.Status);
        }
        Assert.Equal(StreamerExitCodes.TransferFailed, await run.WaitAsync(Guard));
        Assert.False(File.Exists(target));
        Assert.Contains("InboundTransferLimitExceeded", _errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_sends_the_file_and_a_missing_source_closes_3003()
    {
        var source = Path.Combine(_dir, "out.bin");
        var data = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        await File.WriteAllBytesAsync(source, data);
        using (var server = Server(StreamerMode.Send, source))
        {
            server.Start();
            var run = server.RunAsync(CancellationToken.None);
            var (socket, _) = await StreamerConnector.TryConnectAsync(At(server, "right-secret"), CancellationToken.None);
            var local = Path.Combine(_dir, "got.bin");
            using (socket)
                await StreamerPeer.ReceiveAsync(socket!, local, exclusive: false, null, null, CancellationToken.None).WaitAsync(Guard);
            Assert.Equal(StreamerExitCodes.Success, await run.WaitAsync(Guard));
            Assert.Equal(data, await File.ReadAllBytesAsync(local));
            Assert.Contains("File was successfully sent", _log.ToString(), StringComparison.Ordinal);
        }

        using (var server = Server(StreamerMode.Send, Path.Combine(_dir, "missing.bin")))
        {
            server.Start();
            var run = server.RunAsync(CancellationToken.None);
            var (socket, _) = await StreamerConnector.TryConnectAsync(At(server, "right-secret"), CancellationToken.None);
            using (socket)
            {
                var e = await Assert.ThrowsAsync<StreamerException>(() => StreamerPeer.ReceiveAsync(socket!, Path.Combine(_dir, "none.bin"), false, null, null, CancellationToken.None).WaitAsync(Guard));
                Assert.Equal(StreamerProtocol.FileErrorStatus, e.Status);
                Assert.Equal("FileNotFoundError", e.Error);
            }
            Assert.Equal(StreamerExitCodes.FileError, await run.WaitAsync(Guard));
        }
    }

    [Fact]
    public void Command_line_is_upstreams_with_the_secret_from_the_environment()
    {
        var o = StreamerServerOptions.Parse(["server", "--host", "0.0.0.0", "--public-ips", "10.0.0.1", "10.0.0.2", "--port-range", "5665", "5670",
            "--wait-timeout", "60", "--inbound-transfer-limit", "1024", "receive", "--path", "/home/u/f"], name => name == "F7T_STREAMER_SECRET" ? "from-env" : null);
        Assert.Equal(new StreamerServerOptions
        {
            Secret = "from-env", Mode = StreamerMode.Receive, Path = "/home/u/f", Host = "0.0.0.0", FirstPort = 5665, LastPort = 5670,
            WaitTimeout = TimeSpan.FromSeconds(60), InboundTransferLimit = 1024, PublicIps = o.PublicIps,
        }, o);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], o.PublicIps);
        Assert.Equal("cli", StreamerServerOptions.Parse(["server", "--secret", "cli", "send", "--path", "/p"], _ => "env").Secret);
        Assert.Contains("--secret", Assert.Throws<ArgumentException>(() => StreamerServerOptions.Parse(["server", "send", "--path", "/p"], _ => null)).Message, StringComparison.Ordinal);
        Assert.Contains("--port-range", Assert.Throws<ArgumentException>(() => StreamerServerOptions.Parse(["--secret", "s", "send", "--path", "/p", "--port-range", "9", "x"], _ => null)).Message, StringComparison.Ordinal);
    }
}
