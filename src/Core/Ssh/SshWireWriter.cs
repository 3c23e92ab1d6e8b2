using System.Buffers.Binary;
using System.Text;

namespace Firecrest.Core.Ssh;

/// <summary>Writes the SSH wire encoding: big-endian 32/64-bit integers and strings prefixed by their 32-bit length.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    /// <summary>Appends a uint32.</summary>
    public SshWireWriter UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    /// <summary>Appends a uint64.</summary>
    public SshWireWriter UInt64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    /// <summary>Appends a length-prefixed byte string.</summary>
    public SshWireWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>Appends a length-prefixed UTF-8 string.</summary>
    public SshWireWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>Appends raw bytes without a length prefix.</summary>
    public SshWireWriter Raw(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.ToArray();
}

/// <summary>Reads the SSH wire encoding; throws <see cref="FormatException"/> on truncated data.</summary>
internal ref struct SshWireReader
{
    private ReadOnlySpan<byte> _data;

    /// <summary>Reads from <paramref name="data"/>.</summary>
    public SshWireReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>True when everything has been read.</summary>
    public readonly bool AtEnd => _data.IsEmpty;

    /// <summary>Reads a uint32.</summary>
    public uint UInt32()
    {
        if (_data.Length < 4) throw new FormatException("Truncated SSH data (uint32).");
        var v = BinaryPrimitives.ReadUInt32BigEndian(_data);
        _data = _data[4..];
        return v;
    }

    /// <summary>Reads a uint64.</summary>
    public ulong UInt64()
    {
        if (_data.Length < 8) throw new FormatException("Truncated SSH data (uint64).");
        var v = BinaryPrimitives.ReadUInt64BigEndian(_data);
        _data = _data[8..];
        return v;
    }

    /// <summary>Reads a length-prefixed byte string.</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        var n = UInt32();
        if ((uint)_data.Length < n) throw new FormatException("Truncated SSH data (string).");
        var v = _data[..(int)n];
        _data = _data[(int)n..];
        return v;
    }

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string String() => Encoding.UTF8.GetString(Bytes());
}
