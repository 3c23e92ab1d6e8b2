using Firecrest.Core;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Where <see cref="CopyDestination.Decide"/> puts the items of a copy.</summary>
internal enum CopyTarget
{
    /// <summary>Each item goes into the existing directory under its own name.</summary>
    IntoDirectory,

    /// <summary>The directory is created first (-Force), then as <see cref="IntoDirectory"/>.</summary>
    CreateDirectory,

    /// <summary>The single item is written as the destination itself (a new name, or an overwrite with -Force).</summary>
    AsFile,
}

/// <summary>
/// The Copy-Item rule of Send-HpcFile and Receive-HpcFile, for either side: an existing directory receives the items
/// under their names; otherwise a single item becomes the destination file; several items (or a destination ending
/// with a separator) need an existing directory, which -Force creates. -Force also means overwrite.
/// </summary>
internal static class CopyDestination
{
    /// <summary>Decides for <paramref name="count"/> items; a destination that cannot take them is an <see cref="HpcException"/> naming it.</summary>
    public static CopyTarget Decide(string destination, bool exists, bool isDirectory, bool namesDirectory, int count, bool force)
    {
        if (exists && isDirectory) return CopyTarget.IntoDirectory;
        var what = count == 1 ? "the item needs" : $"{count} items need";
        if (count > 1 || namesDirectory)
        {
            if (exists)
                throw new HpcException(HpcErrorKind.InvalidArgument, $"Destination '{destination}' is a file, not a directory: {what} a directory.");
            if (!force)
                throw new HpcException(HpcErrorKind.NotFound, $"Destination '{destination}' is not an existing directory: {what} one (use -Force to create it).");
            return CopyTarget.CreateDirectory;
        }
        if (exists && !force)
            throw new HpcException(HpcErrorKind.AlreadyExists, $"Destination '{destination}' exists: use -Force to overwrite it.");
        return CopyTarget.AsFile;
    }

    /// <summary>An item about to be written into a directory under its name: refused when it exists and -Force is not given.</summary>
    public static void CheckOverwrite(string target, bool exists, bool force)
    {
        if (exists && !force)
            throw new HpcException(HpcErrorKind.AlreadyExists, $"'{target}' exists: use -Force to overwrite it.");
    }
}
