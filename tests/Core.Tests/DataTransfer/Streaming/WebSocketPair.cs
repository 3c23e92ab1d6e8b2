using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Firecrest.Core.Tests.DataTransfer.Streaming;

/// <summary>Two connected WebSockets over a loopback TCP connection (real framing, no HTTP handshake).</summary>
internal sealed class WebSocketPair : IDisposable
{
    private readonly TcpClient _a;
    private readonly TcpClient _b;

    private WebSocketPair(TcpClient a, TcpClient b)
    {
        _a = a;
        _b = b;
        Server = WebSocket.CreateFromStream(a.GetStream(), new WebSocketCreationOptions { IsServer = true });
        Client = WebSocket.CreateFromStream(b.GetStream(), new WebSocketCreationOptions { IsServer = false });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public static async Task<WebSocketPair> CreateAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return new WebSocketPair(await accept, client);
    }

    /// <summary>A port that was free a moment ago (the OS hands out ephemeral ports in turn, so it stays free in practice).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        _a.Dispose();
        _b.Dispose();
    }
}

/// <summary>One received WebSocket message.</summary>
internal sealed record Frame(WebSocketMessageType Type, byte[] Payload)
{
    public static async Task<Frame> ReadAsync(WebSocket socket, CancellationToken ct = default)
    {
        var buffer = new byte[8 * 1024 * 1024];
        var n = 0;
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer.AsMemory(n), ct);
            n += r.Count;
            if (r.EndOfMessage || r.MessageType == WebSocketMessageType.Close) return new Frame(r.MessageType, buffer[..n]);
        }
    }
}
