using Firecrest.Core.Ssh;

namespace Firecrest.Core.FileSystem;

/// <summary>Turns a failed file-operation command into a typed <see cref="HpcException"/> (upstream's stderr → status mapping).</summary>
public static class RemoteErrorMapper
{
    /// <summary>Throws the mapped error when <paramref name="result"/> has a non-zero exit status; otherwise returns.</summary>
    public static void ThrowIfFailed(RemoteCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ExitStatus != 0) throw ToException(result);
    }

    /// <summary>
    /// The error for a failed command: exit 124 → Timeout; "No such file or directory" → NotFound; "Permission denied" or
    /// "Operation not permitted" → PermissionDenied; "File exists" → AlreadyExists; "invalid user"/"invalid group" →
    /// InvalidArgument; "Is a directory" (a file operation on a directory) and dd's "cannot skip" (an offset beyond
    /// any file) → InvalidArgument; anything else → Internal. Message: <c>Remote process failed with exit status:N and error message:…</c>.
    /// </summary>
    public static HpcException ToException(RemoteCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var stderr = result.Stderr ?? "";
        var message = $"Remote process failed with exit status:{result.ExitStatus}";
        if (stderr.Length > 0) message += $" and error message:{stderr.Trim()}";
        var kind = KindOf(result.ExitStatus, stderr);
        return new HpcException(kind, message) { ExitStatus = result.ExitStatus, Stderr = stderr };
    }

    private static HpcErrorKind KindOf(int exitStatus, string stderr)
    {
        if (exitStatus == 124) return HpcErrorKind.Timeout;
        if (stderr.Contains("No such file or directory", StringComparison.Ordinal)) return HpcErrorKind.NotFound;
        if (stderr.Contains("Permission denied", StringComparison.Ordinal)) return HpcErrorKind.PermissionDenied;
        if (stderr.Contains("Operation not permitted", StringComparison.Ordinal)) return HpcErrorKind.PermissionDenied;
        if (stderr.Contains("File exists", StringComparison.Ordinal)) return HpcErrorKind.AlreadyExists;
        if (stderr.Contains("invalid user", StringComparison.Ordinal)) return HpcErrorKind.InvalidArgument;
        if (stderr.Contains("invalid group", StringComparison.Ordinal)) return HpcErrorKind.InvalidArgument;
        // A directory given to head/tail/view/checksum/download, and dd refusing an offset past what it can address.
        if (stderr.Contains("Is a directory", StringComparison.Ordinal)) return HpcErrorKind.InvalidArgument;
        if (stderr.Contains("cannot skip", StringComparison.Ordinal)) return HpcErrorKind.InvalidArgument;
        return HpcErrorKind.Internal;
    }
}
