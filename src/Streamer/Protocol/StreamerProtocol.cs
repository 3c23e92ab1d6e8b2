using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Firecrest.Streamer;

/// <summary>
/// The frames of the streamer protocol (firecrest-streamer and pyFirecREST): the sender sends a binary init frame
/// <c>{"type":"init","num_chunks":N,"file_size":S}</c>, N binary data frames of <see cref="ChunkSize"/> bytes (the last
/// one shorter), then the eof frame with the SHA-256 of the whole file. This file is compiled into the streamer program
/// and into Firecrest.Core, so both ends write and read the same bytes.
/// </summary>
internal static class StreamerProtocol
{
    /// <summary>Bytes of file data in one frame (the last frame holds the rest).</summary>
    public const int ChunkSize = 5 * 1024 * 1024;

    /// <summary>Largest message either side accepts (1.25 × <see cref="ChunkSize"/>, as the reference peers).</summary>
    public const int MaxMessageSize = ChunkSize + ChunkSize / 4;

    /// <summary>Close code for "the file is missing" (send) or "the target exists" (receive).</summary>
    public const WebSocketCloseStatus FileErrorStatus = (WebSocketCloseStatus)3003;

    /// <summary>Interval of keep-alive frames on an open transfer.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(60);

    /// <summary>Number of data frames of a file of <paramref name="size"/> bytes: ceil(size / chunk), 0 for an empty file.</summary>
    public static int ChunkCount(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return checked((int)((size + ChunkSize - 1) / ChunkSize));
    }

    /// <summary>
    /// The init frame's payload. It goes as a binary frame: pyFirecREST's receiver decodes the first frame as bytes.
    /// </summary>
    public static byte[] Init(long fileSize) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"type\":\"init\",\"num_chunks\":{ChunkCount(fileSize)},\"file_size\":{fileSize}}}"));

    /// <summary>
    /// The eof frame's payload, compact JSON. It goes as a text frame: pyFirecREST's receiver recognises eof only as a
    /// text frame starting exactly with <c>{"type":"eof"</c>, and writes anything else into the file.
    /// </summary>
    public static byte[] Eof(string sha256Hex) => Encoding.UTF8.GetBytes($"{{\"type\":\"eof\",\"sha256_hash\":\"{sha256Hex}\"}}");

    /// <summary>Close reason naming an error as the reference peers do: <c>{"type":"error","error":"Name"}</c>.</summary>
    public static string ErrorReason(string error) => $"{{\"type\":\"error\",\"error\":\"{JsonEncodedText.Encode(error)}\"}}";

    /// <summary>The error name of a close reason written by <see cref="ErrorReason"/>, else the reason itself.</summary>
    public static string? ErrorOf(string? reason)
    {
        if (string.IsNullOrEmpty(reason)) return null;
        try
        {
            using var doc = JsonDocument.Parse(reason);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return e.GetString();
        }
        catch (JsonException)
        {
            // not JSON: the reason is the message
        }
        return reason;
    }

    /// <summary>Reads an init frame (binary or text, any JSON spacing).</summary>
    /// <exception cref="StreamerException">Not an init frame, or counts that do not fit together.</exception>
    public static StreamInit ParseInit(ReadOnlySpan<byte> payload)
    {
        using var doc = ParseObject(payload, "init");
        var root = doc.RootElement;
        if (!root.TryGetProperty("num_chunks", out var n) || !n.TryGetInt32(out var chunks) || chunks < 0
            || !root.TryGetProperty("file_size", out var s) || !s.TryGetInt64(out var size) || size < 0)
            throw Protocol("The init frame lacks a valid num_chunks or file_size.");
        // Frames are counted, not sized (a sender may cut other chunks); only the total must fit into them.
        if ((size > 0 && chunks == 0) || size > (long)chunks * MaxMessageSize)
            throw Protocol($"The init frame announces {size} bytes in {chunks} chunks.");
        return new StreamInit(chunks, size);
    }

    /// <summary>Reads an eof frame (binary or text, any JSON spacing) and returns its lower-case SHA-256.</summary>
    /// <exception cref="StreamerException">Not an eof frame with a SHA-256.</exception>
    public static string ParseEof(ReadOnlySpan<byte> payload)
    {
        using var doc = ParseObject(payload, "eof");
        if (!doc.RootElement.TryGetProperty("sha256_hash", out var h) || h.ValueKind != JsonValueKind.String
            || h.GetString() is not { Length: 64 } hash || !hash.All(Uri.IsHexDigit))
            throw Protocol("The eof frame lacks a SHA-256 (64 hex digits).");
        return hash.ToLowerInvariant();
    }

    private static JsonDocument ParseObject(ReadOnlySpan<byte> payload, string type)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException)
        {
            throw Protocol($"Expected the {type} frame, got {payload.Length} bytes that are not JSON.");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("type", out var t) || t.GetString() != type)
        {
            doc.Dispose();
            throw Protocol($"Expected the {type} frame.");
        }
        return doc;
    }

    private static StreamerException Protocol(string message) => new(WebSocketCloseStatus.ProtocolError, "ProtocolError", message);
}

/// <summary>What an init frame announces.</summary>
/// <param name="NumChunks">Data frames that follow.</param>
/// <param name="FileSize">Bytes in them.</param>
internal readonly record struct StreamInit(int NumChunks, long FileSize);
