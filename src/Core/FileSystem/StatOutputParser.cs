using System.Globalization;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>Parses <c>stat -c '%f %i %d %h %u %g %s %X %Y %Z'</c> output (mode in hex, the rest decimal).</summary>
public static class StatOutputParser
{
    /// <summary>The format string passed to <c>stat -c</c>.</summary>
    public const string Format = "%f %i %d %h %u %g %s %X %Y %Z";

    /// <summary>Parses the ten fields; anything else is an <see cref="HpcErrorKind.Internal"/> error.</summary>
    public static FileStat Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var t = stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (t.Length != 10
            || !long.TryParse(t[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mode))
            throw Unexpected(stdout);
        var n = new long[9];
        for (var i = 0; i < 9; i++)
            if (!long.TryParse(t[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out n[i])) throw Unexpected(stdout);
        return new FileStat
        {
            Mode = mode, Ino = n[0], Dev = n[1], Nlink = n[2], Uid = n[3], Gid = n[4], Size = n[5], Atime = n[6], Mtime = n[7], Ctime = n[8],
        };
    }

    private static HpcException Unexpected(string stdout) =>
        new(HpcErrorKind.Internal, $"Unexpected output of stat: '{stdout.Trim()}'.");
}
