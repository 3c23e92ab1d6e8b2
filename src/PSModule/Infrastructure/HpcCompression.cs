using Firecrest.Core.Models;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Archive compression as a parameter type. The module's own enum: a field of an engine value type on a cmdlet would
/// make PowerShell load the engine while it imports the module, before the private load context is set up.
/// </summary>
public enum HpcCompression
{
    /// <summary>gzip (.tar.gz).</summary>
    Gzip,

    /// <summary>bzip2 (.tar.bz2).</summary>
    Bzip2,

    /// <summary>xz (.tar.xz).</summary>
    Xz,

    /// <summary>No compression (.tar).</summary>
    None,
}

/// <summary>Maps <see cref="HpcCompression"/> to the engine's type.</summary>
internal static class HpcCompressionExtensions
{
    public static CompressionType ToEngine(this HpcCompression c) => c switch
    {
        HpcCompression.Bzip2 => CompressionType.Bzip2,
        HpcCompression.Xz => CompressionType.Xz,
        HpcCompression.None => CompressionType.None,
        _ => CompressionType.Gzip,
    };
}
