using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Streamer;

/// <summary>
/// The server half of the WebSocket opening handshake (RFC 6455 section 4.2) over a plain stream: reads the HTTP
/// upgrade request and answers 101, or an HTTP error that a client sees before any frame (401 without a secret, 403
/// with a wrong one: pyFirecREST's client then tries the next port).
/// </summary>
internal static class WebSocketUpgrade
{
    private const int MaxRequestBytes = 16 * 1024;
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Reads the request head (up to the empty line); null when the connection ends first or it is too long.</summary>
    public static async Task<UpgradeRequest?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        // Byte by byte, so that nothing after the head (the client's first frame) is consumed here.
        var head = new List<byte>(512);
        var one = new byte[1];
        while (head.Count < MaxRequestBytes)
        {
            if (await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0) return null;
            head.Add(one[0]);
            var n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n') break;
        }
        if (head.Count >= MaxRequestBytes) return null;
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new UpgradeRequest(lines[0], headers);
    }

    /// <summary>Answers 101 Switching Protocols for <paramref name="key"/> (no subprotocol, no extension).</summary>
    public static Task AcceptAsync(Stream stream, string key, CancellationToken ct) =>
        WriteAsync(stream, $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {AcceptKey(key)}\r\n\r\n", ct);

    /// <summary>Answers an HTTP error with a one-line text body and closes the exchange.</summary>
    public static Task RefuseAsync(Stream stream, int status, string reason, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetByteCount(body);
        return WriteAsync(stream, $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n{body}", ct);
    }

    /// <summary>The Sec-WebSocket-Accept value for a Sec-WebSocket-Key.</summary>
    public static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private static async Task WriteAsync(Stream stream, string text, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>An HTTP request head.</summary>
/// <param name="RequestLine">e.g. <c>GET / HTTP/1.1</c>.</param>
/// <param name="Headers">Header fields (the last of repeated names).</param>
internal sealed record UpgradeRequest(string RequestLine, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A GET asking for a WebSocket with a key.</summary>
    public bool IsWebSocketUpgrade =>
        RequestLine.StartsWith("GET ", StringComparison.Ordinal)
        && Headers.TryGetValue("Upgrade", out var u) && u.Equals("websocket", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(Key);

    /// <summary>Sec-WebSocket-Key.</summary>
    public string? Key => Headers.TryGetValue("Sec-WebSocket-Key", out var k) ? k : null;

    /// <summary>The bearer token of the Authorization header; null without one.</summary>
    public string? BearerToken =>
        Headers.TryGetValue("Authorization", out var a) && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;
}
