using System.Net;
using Microsoft.Win32.SafeHandles;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>HTTP content streaming <c>length</c> bytes of an open file from <c>offset</c> (no buffering of the whole part), counting sent bytes.</summary>
internal sealed class FileRangeContent(SafeFileHandle file, long offset, long length, Action<long> sent) : HttpContent
{
    private const int ChunkSize = 256 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(ChunkSize, Math.Max(1, length))];
        long done = 0;
        while (done < length)
        {
            var want = (int)Math.Min(buffer.Length, length - done);
            var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new IOException($"The local file ended at byte {offset + done}; it was changed during the upload.");
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            done += read;
            sent(read);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
