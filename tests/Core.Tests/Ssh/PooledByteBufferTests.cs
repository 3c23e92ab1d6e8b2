using System.Security.Cryptography;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Ssh;

public sealed class PooledByteBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(900_000)]
    public void Keeps_every_byte_written_in_uneven_pieces_across_growth(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        using var buffer = new PooledByteBuffer();
        var at = 0;
        for (var piece = 1; at < size; piece = piece * 3 + 1)
        {
            var n = Math.Min(piece, size - at);
            buffer.Write(data.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(size, buffer.Length);
        Assert.True(buffer.Written.SequenceEqual(data));
    }

    [Fact]
    public void Is_empty_after_dispose_and_can_be_disposed_twice()
    {
        var buffer = new PooledByteBuffer();
        buffer.Write([1, 2, 3]);
        buffer.Dispose();
        Assert.Equal(0, buffer.Length);
        Assert.True(buffer.Written.IsEmpty);
        buffer.Dispose();
    }
}
