using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Firecrest.Streamer;

namespace Firecrest.Core.Tests.DataTransfer.Streaming;

/// <summary>
/// The frame sequences of the streamer protocol, byte for byte: what our sender writes (readable by pyFirecREST's
/// receiver: binary init, compact text eof) and what our receiver accepts (pyFirecREST's sender: binary eof with spaces).
/// </summary>
public sealed class StreamerFrameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-streamer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public void Init_and_eof_payloads_are_the_exact_json_the_reference_receiver_expects()
    {
        Assert.Equal("""{"type":"init","num_chunks":2,"file_size":5242883}""", Encoding.UTF8.GetString(StreamerProtocol.Init(5 * 1024 * 1024 + 3)));
        Assert.Equal("""{"type":"init","num_chunks":0,"file_size":0}""", Encoding.UTF8.GetString(StreamerProtocol.Init(0)));
        Assert.Equal("""{"type":"init","num_chunks":1,"file_size":5242880}""", Encoding.UTF8.GetString(StreamerProtocol.Init(5 * 1024 * 1024)));
        var sha = new string('a', 64);
        Assert.Equal($$"""{"type":"eof","sha256_hash":"{{sha}}"}""", Encoding.UTF8.GetString(StreamerProtocol.Eof(sha)));
        Assert.Equal("""{"type":"error","error":"FileExistsError"}""", StreamerProtocol.ErrorReason("FileExistsError"));
        Assert.Equal(6553600, StreamerProtocol.MaxMessageSize);
    }

    [Fact]
    public void Frames_of_pyfirecrest_with_spaces_are_read()
    {
        var init = StreamerProtocol.ParseInit(Encoding.UTF8.GetBytes("""{"type": "init", "num_chunks": 3, "file_size": 12582912}"""));
        Assert.Equal(new StreamInit(3, 12582912), init);
        var hash = new string('B', 64);
        Assert.Equal(new string('b', 64), StreamerProtocol.ParseEof(Encoding.UTF8.GetBytes($$"""{"type": "eof", "sha256_hash": "{{hash}}"}""")));
        Assert.Throws<StreamerException>(() => StreamerProtocol.ParseEof(Encoding.UTF8.GetBytes("""{"type": "init", "num_chunks": 0, "file_size": 0}""")));
        Assert.Throws<StreamerException>(() => StreamerProtocol.ParseInit(Encoding.UTF8.GetBytes("""{"type": "init", "num_chunks": 1, "file_size": 99999999}""")));
        Assert.Throws<StreamerException>(() => StreamerProtocol.ParseInit(new byte[] { 0xff, 0x00 }));
    }

    [Fact]
    public async Task Our_sender_writes_binary_init_binary_chunks_of_5_MiB_and_a_compact_text_eof()
    {
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 3);
        using var pair = await WebSocketPair.CreateAsync();
        var send = StreamerPeer.SendAsync(pair.Client, new MemoryStream(data), data.Length, null, CancellationToken.None);

        var frames = new List<Frame>();
        for (var i = 0; i < 4; i++) frames.Add(await Frame.ReadAsync(pair.Server).WaitAsync(Guard));
        await pair.Server.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(Guard);
        var sha = await send.WaitAsync(Guard);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), sha);
        Assert.Equal(WebSocketMessageType.Binary, frames[0].Type);
        Assert.Equal(StreamerProtocol.Init(data.Length), frames[0].Payload);
        Assert.Equal(WebSocketMessageType.Binary, frames[1].Type);
        Assert.Equal(data[..(5 * 1024 * 1024)], frames[1].Payload);
        Assert.Equal(WebSocketMessageType.Binary, frames[2].Type);
        Assert.Equal(data[(5 * 1024 * 1024)..], frames[2].Payload);
        Assert.Equal(WebSocketMessageType.Text, frames[3].Type);
        Assert.Equal($$"""{"type":"eof","sha256_hash":"{{sha}}"}""", Encoding.UTF8.GetString(frames[3].Payload));
        Assert.StartsWith("{\"type\":\"eof\"", Encoding.UTF8.GetString(frames[3].Payload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_receiver_takes_pyfirecrest_frames_with_a_binary_eof_with_spaces()
    {
        var data = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 17);
        var sha = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
        var target = Path.Combine(_dir, "in.bin");
        using var pair = await WebSocketPair.CreateAsync();
        var receive = StreamerPeer.ReceiveAsync(pair.Server, target, exclusive: true, inboundLimit: 10 * 1024 * 1024, null, CancellationToken.None);

        // pyFirecREST's sender: chunks of its own size, json.dumps spacing, eof as a binary frame
        await SendAsync(pair.Client, $$"""{"type": "init", "num_chunks": 2, "file_size": {{data.Length}}}""", WebSocketMessageType.Binary);
        await pair.Client.SendAsync(data.AsMemory(0, 2 * 1024 * 1024), WebSocketMessageType.Binary, true, CancellationToken.None);
        await pair.Client.SendAsync(data.AsMemory(2 * 1024 * 1024), WebSocketMessageType.Binary, true, CancellationToken.None);
        await SendAsync(pair.Client, $$"""{"type": "eof", "sha256_hash": "{{sha}}"}""", WebSocketMessageType.Binary);
        var close = await Frame.ReadAsync(pair.Client).WaitAsync(Guard);
        await pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        var received = await receive.WaitAsync(Guard);

        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, pair.Client.CloseStatus);
        Assert.Equal(new ReceivedFile(data.Length, sha), received);
        Assert.Equal(data, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task A_wrong_sha256_closes_1011_and_deletes_the_file()
    {
        var target = Path.Combine(_dir, "bad.bin");
        var (status, error, thrown) = await ReceiveScriptedAsync(target, null,
            ("""{"type":"init","num_chunks":1,"file_size":4}""", WebSocketMessageType.Binary), ("abcd", WebSocketMessageType.Binary),
            ($$"""{"type":"eof","sha256_hash":"{{new string('0', 64)}}"}""", WebSocketMessageType.Text));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("""{"type":"error","error":"DataCorruptionError"}""", error);
        Assert.Equal("DataCorruptionError", thrown.Error);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task More_data_than_the_inbound_limit_closes_1009_and_deletes_the_partial_file()
    {
        var target = Path.Combine(_dir, "big.bin");
        var (status, error, _) = await ReceiveScriptedAsync(target, 6,
            ("""{"type":"init","num_chunks":2,"file_size":6}""", WebSocketMessageType.Binary), ("abcd", WebSocketMessageType.Binary), ("efgh", WebSocketMessageType.Binary));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("""{"type":"error","error":"InboundTransferLimitExceeded"}""", error);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task An_announced_size_over_the_limit_closes_1009_before_any_file()
    {
        var target = Path.Combine(_dir, "announced.bin");
        var (status, _, _) = await ReceiveScriptedAsync(target, 3, ("""{"type":"init","num_chunks":1,"file_size":4}""", WebSocketMessageType.Binary));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task An_existing_target_closes_3003_and_stays_untouched()
    {
        var target = Path.Combine(_dir, "there.bin");
        await File.WriteAllTextAsync(target, "keep");
        var (status, error, _) = await ReceiveScriptedAsync(target, null, ("""{"type":"init","num_chunks":1,"file_size":4}""", WebSocketMessageType.Binary));
        Assert.Equal(StreamerProtocol.FileErrorStatus, status);
        Assert.Equal("""{"type":"error","error":"FileExistsError"}""", error);
        Assert.Equal("keep", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task A_receiver_that_refuses_early_stops_our_sender_with_its_code()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        using var pair = await WebSocketPair.CreateAsync();
        var receive = StreamerPeer.ReceiveAsync(pair.Server, Path.Combine(_dir, "limited.bin"), true, 1024, null, CancellationToken.None);
        var e = await Assert.ThrowsAsync<StreamerException>(() => StreamerPeer.SendAsync(pair.Client, new MemoryStream(data), data.Length, null, CancellationToken.None).WaitAsync(Guard));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, e.Status);
        Assert.Equal("InboundTransferLimitExceeded", e.Error);
        await Assert.ThrowsAsync<StreamerException>(() => receive.WaitAsync(Guard));
    }

    private async Task<(WebSocketCloseStatus? Status, string? Reason, StreamerException Thrown)> ReceiveScriptedAsync(string target, long? limit,
        params (string Payload, WebSocketMessageType Type)[] frames)
    {
        using var pair = await WebSocketPair.CreateAsync();
        var receive = StreamerPeer.ReceiveAsync(pair.Server, target, exclusive: true, limit, null, CancellationToken.None);
        var reading = Frame.ReadAsync(pair.Client);
        foreach (var (payload, type) in frames)
        {
            if (reading.IsCompleted) break;
            await SendAsync(pair.Client, payload, type);
        }
        var close = await reading.WaitAsync(Guard);
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        await pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        var thrown = await Assert.ThrowsAsync<StreamerException>(() => receive.WaitAsync(Guard));
        return (pair.Client.CloseStatus, pair.Client.CloseStatusDescription, thrown);
    }

    private static Task SendAsync(WebSocket socket, string text, WebSocketMessageType type) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), type, true, CancellationToken.None).AsTask();
}
