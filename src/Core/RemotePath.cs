using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Core;

/// <summary>
/// An absolute POSIX path on a system, in normal form: starts with <c>/</c>, no <c>.</c>, <c>..</c> or empty segment,
/// no NUL, at most <see cref="PathMax"/> − 1 bytes and <see cref="NameMax"/> bytes per name. The text is kept exactly
/// as given (a trailing <c>/</c> stays: <c>ls link/</c> and <c>ls link</c> differ for a symbolic link); any other
/// byte, a newline included, is part of a file name. Whether the path lies in a configured file system is the
/// engine's <see cref="FileSystem.PathGuard"/>'s question, asked where the path is used.
/// </summary>
[JsonConverter(typeof(RemotePathJsonConverter))]
public readonly record struct RemotePath
{
    /// <summary>Linux PATH_MAX (bytes, with the terminating NUL): longer paths fail remotely with ENAMETOOLONG.</summary>
    public const int PathMax = 4096;

    /// <summary>Linux NAME_MAX: the longest single file name in bytes.</summary>
    public const int NameMax = 255;

    private readonly string? _value;

    private RemotePath(string value) => _value = value;

    /// <summary>The path as given; <c>/</c> for the default value.</summary>
    public string Value => _value ?? "/";

    /// <summary>The path without a trailing <c>/</c> (the root stays <c>/</c>).</summary>
    public string Trimmed => Value.Length > 1 && Value.EndsWith('/') ? Value[..^1] : Value;

    /// <summary>True for <c>/</c>.</summary>
    public bool IsRoot => Trimmed == "/";

    /// <summary>The directory that holds this path (<c>/</c> for <c>/</c> and top-level names).</summary>
    public RemotePath Parent
    {
        get
        {
            var p = Trimmed;
            var i = p.LastIndexOf('/');
            return new RemotePath(i <= 0 ? "/" : p[..i]);
        }
    }

    /// <summary>The last name of the path (empty for <c>/</c>).</summary>
    public string Name
    {
        get
        {
            var p = Trimmed;
            return p == "/" ? "" : p[(p.LastIndexOf('/') + 1)..];
        }
    }

    /// <summary>
    /// The path of <paramref name="name"/> inside this directory; <paramref name="name"/> may hold several segments
    /// (<c>a/b</c>), each checked like any other. An absolute <paramref name="name"/> is refused: use <see cref="Parse"/>.
    /// </summary>
    public RemotePath Combine(string name, string field = "path") =>
        Parse(Trimmed == "/" ? "/" + name : Trimmed + "/" + name, field);

    /// <summary>This path when it names a file (not <c>/</c>, no trailing <c>/</c>); otherwise a validation error naming <paramref name="field"/>.</summary>
    public RemotePath AsFile(string field = "path") =>
        IsRoot || Value.EndsWith('/') ? throw new HpcValidationException(field, $"'{Value}' must name a file") : this;

    /// <summary>
    /// Parses <paramref name="value"/>; a bad value throws <see cref="HpcValidationException"/> naming
    /// <paramref name="field"/> (and <paramref name="location"/> when the face knows where it came from).
    /// </summary>
    public static RemotePath Parse(string? value, string field = "path", string? location = null) =>
        TryParse(value, out var path, out var problem) ? path : throw new HpcValidationException(field, problem!, location);

    /// <summary>Parses <paramref name="value"/>; false with the reason in <paramref name="problem"/> when it is not a normal absolute path.</summary>
    public static bool TryParse(string? value, out RemotePath path, out string? problem)
    {
        path = default;
        problem = Problem(value);
        if (problem is not null) return false;
        path = new RemotePath(value!);
        return true;
    }

    private static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "Field required";
        if (value.Contains('\0')) return "Must not contain a NUL character";
        if (value[0] != '/') return $"'{value}' must be an absolute path";
        if (Encoding.UTF8.GetByteCount(value) >= PathMax) return $"Is too long (at most {PathMax - 1} bytes)";
        var trimmed = value.Length > 1 && value.EndsWith('/') ? value[1..^1] : value[1..];
        if (trimmed.Length == 0) return null;
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment.Length == 0) return $"'{value}' must not contain empty segments ('//')";
            if (segment is "." or "..") return $"'{value}' must not contain '.' or '..' segments";
            if (Encoding.UTF8.GetByteCount(segment) > NameMax) return $"Has a name longer than {NameMax} bytes";
        }
        return null;
    }

    /// <summary>True when this path is <paramref name="directory"/> or lies under it (trailing <c>/</c> ignored).</summary>
    public bool IsAtOrUnder(RemotePath directory)
    {
        var root = directory.Trimmed;
        var p = Trimmed;
        return root == "/" || p == root || p.StartsWith(root + "/", StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>Writes a <see cref="RemotePath"/> as its JSON string and parses one back (a bad string is a validation error).</summary>
public sealed class RemotePathJsonConverter : JsonConverter<RemotePath>
{
    /// <inheritdoc/>
    public override RemotePath Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RemotePath.Parse(reader.GetString());

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, RemotePath value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
