using System.Net;

namespace Firecrest.Bench;

/// <summary>HTTP content that streams one byte range of a local file (a part of a multipart upload).</summary>
public sealed class FileSliceContent(string path, long offset, long length) : HttpContent
{
    /// <inheritdoc/>
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        file.Position = offset;
        var buffer = new byte[1 << 20];
        var left = length;
        while (left > 0)
        {
            var n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            if (n == 0) throw new EndOfStreamException($"{path} ended {left} bytes early");
            await stream.WriteAsync(buffer.AsMemory(0, n));
            left -= n;
        }
    }

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
