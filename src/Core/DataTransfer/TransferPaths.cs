using Firecrest.Core.Configuration;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// Checks the paths of transfer requests: absolute, normalised (<c>.</c>, <c>..</c> and repeated slashes resolved),
/// inside one of the configured file systems. A small local check until the engine's PathGuard replaces it.
/// </summary>
internal static class TransferPaths
{
    /// <summary>The normalised path, or <see cref="HpcErrorKind.InvalidArgument"/>.</summary>
    public static string Check(IReadOnlyList<FileSystemSettings> fileSystems, string? path, string name)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Missing {name}.");
        if (path.Contains('\0'))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"The {name} contains a NUL character.");
        if (!path.StartsWith('/'))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"The {name} '{path}' is not absolute.");
        var normal = Normalize(path);
        if (!fileSystems.Any(fs => IsUnder(normal, Normalize(fs.Path))))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"The {name} '{path}' is not inside a file system of this system.");
        return normal;
    }

    /// <summary>Resolves <c>.</c>, <c>..</c> and repeated slashes like <c>posixpath.normpath</c> (no trailing slash).</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var seg in path.Split('/'))
        {
            if (seg.Length == 0 || seg == ".") continue;
            if (seg == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(seg);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>Last segment of a normalised path.</summary>
    public static string BaseName(string normal) => normal[(normal.LastIndexOf('/') + 1)..];

    /// <summary>Parent of a normalised path (<c>/</c> for top-level entries).</summary>
    public static string DirName(string normal)
    {
        var i = normal.LastIndexOf('/');
        return i <= 0 ? "/" : normal[..i];
    }

    private static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
