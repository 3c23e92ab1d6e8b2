using Firecrest.Core.Configuration;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// The one check every path argument of a file operation goes through: a <see cref="RemotePath"/> (absolute, normal,
/// no NUL, within the length limits) equal to or under one of the cluster's configured file systems. Unlike upstream,
/// link and target paths are checked too and the check does not depend on probing. Failures are
/// <see cref="HpcValidationException"/>s naming the argument.
/// </summary>
public sealed class PathGuard
{
    private readonly IReadOnlyList<(RemotePath Root, FileSystemSettings FileSystem)> _fileSystems;
    private readonly IReadOnlyList<RemotePath> _roots;

    /// <summary>Creates a guard for the file systems of a cluster (a file system whose path is not absolute and normal is ignored; configuration validation reports it).</summary>
    public PathGuard(IEnumerable<FileSystemSettings> fileSystems)
    {
        ArgumentNullException.ThrowIfNull(fileSystems);
        _fileSystems = fileSystems
            .Select(f => (Ok: RemotePath.TryParse(f.Path, out var root, out _), Root: root, f))
            .Where(x => x.Ok).Select(x => (x.Root, x.f)).ToList();
        _roots = _fileSystems.Select(f => f.Root).DistinctBy(r => r.Trimmed, StringComparer.Ordinal).ToList();
    }

    /// <summary>The configured file-system mount points.</summary>
    public IReadOnlyList<RemotePath> Roots => _roots;

    /// <summary>Parses <paramref name="path"/> and checks it lies in a configured file system; returns it unchanged.</summary>
    public string Check(string argument, string? path) => Check(argument, RemotePath.Parse(path, argument)).Value;

    /// <summary>Returns <paramref name="path"/> when it lies in a configured file system; otherwise throws naming <paramref name="argument"/>.</summary>
    public RemotePath Check(string argument, RemotePath path)
    {
        if (_roots.Count == 0)
            throw new HpcValidationException(argument, "Cannot be used: no file systems are configured for this system");
        if (!_roots.Any(path.IsAtOrUnder))
            throw new HpcValidationException(argument, $"'{path}' must be inside one of the configured file systems ({string.Join(", ", _roots.Select(r => r.Trimmed))})");
        return path;
    }

    /// <summary>
    /// The configured file system that holds the checked <paramref name="path"/> (the deepest one when file systems
    /// nest), or null when none does.
    /// </summary>
    public FileSystemSettings? FileSystemOf(RemotePath path) =>
        _fileSystems.Where(f => path.IsAtOrUnder(f.Root)).OrderByDescending(f => f.Root.Trimmed.Length)
            .Select(f => f.FileSystem).FirstOrDefault();

    /// <summary>Whether <paramref name="path"/> is the mount point of a configured file system (trailing '/' ignored).</summary>
    public bool IsFileSystemRoot(RemotePath path) => _roots.Any(root => root.Trimmed == path.Trimmed);
}
