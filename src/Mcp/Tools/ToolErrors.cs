using Firecrest.Core;

namespace Firecrest.Mcp.Tools;

/// <summary>Turns engine errors into messages that tell a model what to do next.</summary>
public static class ToolErrors
{
    /// <summary>The message of <paramref name="e"/> followed by a hint for its kind.</summary>
    public static string Describe(HpcException e)
    {
        // Direct mode has the remote stderr; remote mode gets its lines as the envelope's causedBy.
        var stderr = e.Stderr is { Length: > 0 } s ? s.Trim() : e.CausedBy is { Count: > 0 } c ? string.Join("\n", c).Trim() : "";
        var detail = stderr.Length > 0 && !e.Message.Contains(stderr, StringComparison.Ordinal) ? $" ({stderr})" : "";
        return $"{e.Message.TrimEnd('.', ' ')}{detail}. {Hint(e.Kind)}";
    }

    /// <summary>What to do next for each kind of error.</summary>
    public static string Hint(HpcErrorKind kind) => kind switch
    {
        HpcErrorKind.InvalidArgument => "Change what the message names (the tool description says what each argument takes); the same call fails again.",
        HpcErrorKind.NotFound => "Check the name or path: list_systems lists systems, list_directory lists files, list_jobs lists jobs.",
        HpcErrorKind.PermissionDenied => "The cluster user may not do this; choose a path under the user's home or scratch directory (get_user_info, get_system_status).",
        HpcErrorKind.QuotaExceeded => "The disk quota is exhausted; remove files with remove_path or use another file system.",
        HpcErrorKind.AlreadyExists => "Something already exists there; choose another name or remove it first.",
        HpcErrorKind.Timeout => "The cluster did not answer in time; wait a little and try again, or ask for less data.",
        HpcErrorKind.TooLarge => "The data is too large for this tool; ask for a smaller part (read_file with a window) or use download_file.",
        HpcErrorKind.ConnectionFailed or HpcErrorKind.Unavailable => "The system is not reachable right now; check get_system_status and try again later.",
        HpcErrorKind.NotImplemented => "This system does not support the operation.",
        HpcErrorKind.Unauthenticated => "The credentials were refused; the user must renew the token or client secret.",
        HpcErrorKind.RateLimited => "Too many requests; wait a few seconds and try again.",
        HpcErrorKind.IdempotencyMismatch => "This idempotency key belongs to another job request; submit with a new key.",
        _ => "An internal error happened; try again, and report it if it repeats.",
    };
}
