namespace Firecrest.Core.FileSystem;

/// <summary>
/// The one policy for destructive operations (remove, move away) on roots: <c>/</c>, the mount point of a configured
/// file system, and a user's own top directory on one (<c>/home/alice</c>, <c>/scratch/alice</c>: the home directory
/// and its siblings). Refusals are <see cref="HpcErrorKind.InvalidArgument"/> (400) naming the path, before anything runs.
/// </summary>
public static class ProtectedPaths
{
    /// <summary>Throws when <paramref name="path"/> is a root that <paramref name="operation"/> (e.g. "remove") must not touch.</summary>
    public static void EnsureNotRoot(PathGuard guard, UserIdentity user, RemotePath path, string operation)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(user);
        if (Describe(guard, user, path) is { } what)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Refusing to {operation} '{path}': it is {what}.");
    }

    /// <summary>What kind of root <paramref name="path"/> is, or null when it is none.</summary>
    public static string? Describe(PathGuard guard, UserIdentity user, RemotePath path)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(user);
        if (path.IsRoot) return "the root directory";
        if (guard.IsFileSystemRoot(path)) return "the root of a configured file system";
        var name = user.Username;
        if (!string.IsNullOrEmpty(name) && guard.Roots.Any(root => path.Parent.Trimmed == root.Trimmed && path.Name == name))
            return "the user's own directory on a configured file system";
        return null;
    }
}
