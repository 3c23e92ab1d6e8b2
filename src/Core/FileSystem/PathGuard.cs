using System.Text;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// The one check every path argument of a file operation goes through: absolute, already normal (no <c>.</c> or
/// <c>..</c> segment, no empty segment), no NUL, and equal to or under one of the cluster's configured file systems.
/// Unlike upstream, link and target paths are checked too and the check does not depend on probing.
/// </summary>
public sealed class PathGuard
{
    private readonly IReadOnlyList<(string Root, FileSystemSettings FileSystem)> _fileSystems;
    private readonly IReadOnlyList<string> _roots;

    /// <summary>Creates a guard for the file systems of a cluster.</summary>
    public PathGuard(IEnumerable<FileSystemSettings> fileSystems)
    {
        ArgumentNullException.ThrowIfNull(fileSystems);
        _fileSystems = fileSystems.Where(f => !string.IsNullOrEmpty(f.Path)).Select(f => (Trim(f.Path), f)).ToList();
        _roots = _fileSystems.Select(f => f.Root).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Linux PATH_MAX (bytes, with the terminating NUL): longer paths fail remotely with ENAMETOOLONG.</summary>
    public const int PathMax = 4096;

    /// <summary>Linux NAME_MAX: the longest single file name in bytes.</summary>
    public const int NameMax = 255;

    /// <summary>
    /// Returns <paramref name="path"/> unchanged when it is acceptable; otherwise throws
    /// <see cref="HpcException"/> (<see cref="HpcErrorKind.InvalidArgument"/>) naming <paramref name="argument"/>.
    /// </summary>
    public string Check(string argument, string? path)
    {
        if (string.IsNullOrEmpty(path))
            throw Invalid(argument, "is required");
        if (path.Contains('\0'))
            throw Invalid(argument, "must not contain a NUL character");
        if (path[0] != '/')
            throw Invalid(argument, $"'{path}' must be an absolute path");
        if (Encoding.UTF8.GetByteCount(path) >= PathMax)
            throw Invalid(argument, $"is too long (at most {PathMax - 1} bytes)");
        var trimmed = Trim(path);
        if (trimmed.Length > 1)
        {
            foreach (var segment in trimmed[1..].Split('/'))
            {
                if (segment.Length == 0)
                    throw Invalid(argument, $"'{path}' must not contain empty segments ('//')");
                if (segment is "." or "..")
                    throw Invalid(argument, $"'{path}' must not contain '.' or '..' segments");
                if (Encoding.UTF8.GetByteCount(segment) > NameMax)
                    throw Invalid(argument, $"has a name longer than {NameMax} bytes");
            }
        }
        if (_roots.Count == 0)
            throw Invalid(argument, "cannot be used: no file systems are configured for this system");
        if (!_roots.Any(root => IsUnder(trimmed, root)))
            throw Invalid(argument, $"'{path}' must be inside one of the configured file systems ({string.Join(", ", _roots)})");
        return path;
    }

    /// <summary>
    /// The configured file system that holds the checked <paramref name="path"/> (the deepest one when file systems
    /// nest), or null when none does.
    /// </summary>
    public FileSystemSettings? FileSystemOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = Trim(path);
        return _fileSystems.Where(f => IsUnder(trimmed, f.Root)).OrderByDescending(f => f.Root.Length)
            .Select(f => f.FileSystem).FirstOrDefault();
    }

    /// <summary>Whether the checked <paramref name="path"/> is the root of a configured file system (trailing '/' ignored).</summary>
    public bool IsFileSystemRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = Trim(path);
        return _roots.Any(root => root == trimmed);
    }

    /// <summary>
    /// The parent directory and last segment of a checked absolute path (a trailing '/' ignored); "/" itself gives
    /// ("/", ".").
    /// </summary>
    public static (string Directory, string Name) SplitParent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var p = Trim(path);
        if (p == "/") return ("/", ".");
        var i = p.LastIndexOf('/');
        return (i <= 0 ? "/" : p[..i], p[(i + 1)..]);
    }

    private static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    // Drops one trailing '/' (a directory written as "/home/x/") but keeps the root "/".
    private static string Trim(string path) => path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;

    private static HpcException Invalid(string argument, string what) =>
        new(HpcErrorKind.InvalidArgument, $"`{argument}` {what}.");
}
