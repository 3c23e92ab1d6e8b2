namespace Firecrest.Core.DataTransfer.Client;

/// <summary>One part (1-based <paramref name="Number"/>) of a file: its byte offset and length.</summary>
/// <param name="Number">Part number, from 1.</param>
/// <param name="Offset">First byte.</param>
/// <param name="Length">Bytes.</param>
public readonly record struct FilePart(int Number, long Offset, long Length)
{
    /// <summary>Last byte (inclusive), as an HTTP Range wants it.</summary>
    public long LastByte => Offset + Length - 1;
}

/// <summary>Splits a file into parts.</summary>
public static class PartPlan
{
    /// <summary>
    /// Parts of <paramref name="partSize"/> bytes covering <paramref name="fileSize"/> bytes, the last one shorter;
    /// <paramref name="expectedParts"/> (the number of URLs the server gave) must match when given.
    /// </summary>
    public static IReadOnlyList<FilePart> Split(long fileSize, long partSize, int? expectedParts = null)
    {
        if (fileSize < 0) throw new HpcException(HpcErrorKind.InvalidArgument, "File size must not be negative.");
        if (partSize <= 0) throw new HpcException(HpcErrorKind.InvalidArgument, "Part size must be positive.");
        var count = fileSize == 0 ? 0 : (fileSize - 1) / partSize + 1;
        if (expectedParts is { } e && e != count)
            throw new HpcException(HpcErrorKind.Internal,
                $"The server gave {e} part URLs, but {fileSize} bytes in parts of {partSize} bytes make {count} parts.");
        var parts = new List<FilePart>((int)Math.Min(count, 100_000));
        for (long i = 0; i < count; i++)
        {
            var offset = i * partSize;
            parts.Add(new FilePart((int)(i + 1), offset, Math.Min(partSize, fileSize - offset)));
        }
        return parts;
    }
}
