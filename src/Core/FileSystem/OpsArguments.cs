using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Validation of the non-path arguments of file operations; each failure is an <see cref="HpcValidationException"/> naming
/// the argument as the REST API spells it (the server answers it with the validation envelope).
/// </summary>
public static partial class OpsArguments
{
    [GeneratedRegex(@"^[0-7]{3,4}$")]
    private static partial Regex OctalMode();

    [GeneratedRegex(@"^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*$")]
    private static partial Regex SymbolicMode();

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.@-]*\$?$")]
    private static partial Regex AccountName();

    /// <summary>head/tail: at most one of bytes and lines, and it must be positive.</summary>
    public static void CheckBytesOrLines(long? bytes, long? lines)
    {
        if (bytes is not null && lines is not null)
            throw Invalid("bytes", "'bytes' and 'lines' cannot be specified together");
        if (bytes is <= 0) throw Invalid("bytes", "Input should be greater than 0");
        if (lines is <= 0) throw Invalid("lines", "Input should be greater than 0");
    }

    /// <summary>view: size in (0, maxSize] (default maxSize) and offset ≥ 0 (default 0); returns the effective values.</summary>
    public static (long Size, long Offset) CheckViewWindow(long? size, long? offset, long maxSize)
    {
        var s = size ?? maxSize;
        var o = offset ?? 0;
        if (s <= 0 || s > maxSize) throw Invalid("size", $"Input should be greater than 0 and at most {maxSize}");
        if (o < 0) throw Invalid("offset", "Input should be greater than or equal to 0");
        return (s, o);
    }

    /// <summary>chmod: an octal mode of 3-4 digits (<c>755</c>, <c>0644</c>) or a symbolic mode (<c>u+x,g-w</c>).</summary>
    public static string CheckMode(string? mode)
    {
        if (string.IsNullOrEmpty(mode) || !(OctalMode().IsMatch(mode) || SymbolicMode().IsMatch(mode)))
            throw Invalid("mode", $"Must be an octal mode of 3 or 4 digits (e.g. 755) or a symbolic mode (e.g. u+x); got '{mode}'.");
        return mode;
    }

    /// <summary>chown: owner and group are each empty/null (unchanged) or a plain user/group name or number; not both empty.</summary>
    public static (string Owner, string Group) CheckOwnerGroup(string? owner, string? group)
    {
        var o = owner ?? "";
        var g = group ?? "";
        if (o.Length == 0 && g.Length == 0) throw Invalid("owner", "At least one of 'owner' or 'group' must be given");
        if (o.Length > 0 && !AccountName().IsMatch(o)) throw Invalid("owner", $"Not a valid user name: '{o}'");
        if (g.Length > 0 && !AccountName().IsMatch(g)) throw Invalid("group", $"Not a valid group name: '{g}'");
        return (o, g);
    }

    /// <summary>upload: a plain file name (no <c>/</c>, not <c>.</c> or <c>..</c>, no NUL).</summary>
    public static string CheckFileName(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName)) throw Invalid("file", "The file needs a file name");
        if (fileName.Contains('/') || fileName.Contains('\0') || fileName is "." or "..")
            throw Invalid("file", $"The file name must be a plain name without '/' or NUL: '{fileName}'");
        return fileName;
    }

    /// <summary>Parses a compression name: <c>none</c>, <c>gzip</c>, <c>bzip2</c> or <c>xz</c> (null = gzip).</summary>
    public static CompressionType ParseCompression(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "gzip" => CompressionType.Gzip,
        "bzip2" => CompressionType.Bzip2,
        "xz" => CompressionType.Xz,
        "none" => CompressionType.None,
        _ => throw Invalid("compression", $"Input should be 'none', 'gzip', 'bzip2' or 'xz'; got '{name}'"),
    };

    /// <summary>The tar flag letter of a compression; an undefined value is InvalidArgument.</summary>
    public static string TarFlag(CompressionType compression) => compression switch
    {
        CompressionType.Gzip => "z",
        CompressionType.Bzip2 => "j",
        CompressionType.Xz => "J",
        CompressionType.None => "",
        _ => throw Invalid("compression", $"Unknown compression: {(int)compression}"),
    };

    private static HpcValidationException Invalid(string field, string message) => new(field, message);
}
