namespace Firecrest.Core.FileSystem;

/// <summary>
/// A path argument that resolved, on the system, where the operation may not act (<see cref="ResolvedPathGuard"/>):
/// <see cref="HpcErrorKind.PermissionDenied"/> (403), naming the field.
/// </summary>
public sealed class PathRefusedException(string field, string reason)
    : HpcException(HpcErrorKind.PermissionDenied, $"{field}: {reason}")
{
    /// <summary>Field name as the client sent it.</summary>
    public string Field { get; } = field;

    /// <summary>Why the path was refused, without the field name.</summary>
    public string Reason { get; } = reason;
}
