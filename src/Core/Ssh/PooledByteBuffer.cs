using System.Buffers;

namespace Firecrest.Core.Ssh;

/// <summary>
/// A growable byte buffer whose storage is rented from <see cref="ArrayPool{T}.Shared"/> and given back on
/// <see cref="Dispose"/>: a command's output is collected without a new array per growth step (a large listing would
/// otherwise put several arrays on the large object heap for every command). What was written is cleared before the
/// storage goes back, as the output may be a user's file. Not thread-safe; use after Dispose is a bug.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private const int InitialSize = 4096;
    private byte[] _array = [];
    private int _length;

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far; valid until the next write or Dispose.</summary>
    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_array.Length - _length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_length + needed, Math.Max(InitialSize, (long)_array.Length * 2)));
        var next = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _length).CopyTo(next);
        Return(_length);
        _array = next;
    }

    private void Return(int used)
    {
        if (_array.Length == 0) return;
        _array.AsSpan(0, used).Clear();
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }

    /// <summary>Gives the storage back to the pool.</summary>
    public void Dispose()
    {
        Return(_length);
        _length = 0;
    }
}
