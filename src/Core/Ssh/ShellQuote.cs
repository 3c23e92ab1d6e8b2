using System.Text;

namespace Firecrest.Core.Ssh;

/// <summary>POSIX shell quoting: the one function through which every string reaches a remote shell.</summary>
public static class ShellQuote
{
    /// <summary>
    /// Quotes <paramref name="value"/> as one POSIX shell word: wrapped in single quotes, each embedded
    /// <c>'</c> written as <c>'\''</c>. Any byte sequence survives unchanged, newlines included. NUL cannot be
    /// passed through a shell and is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The value contains a NUL character.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        return AppendBody(sb, value).Append('\'').ToString();
    }

    /// <summary>
    /// Appends <paramref name="value"/> to <paramref name="target"/> quoted exactly as <see cref="Quote"/> would, without
    /// making a string of either: for a long text (a script carried as one word) built in a builder.
    /// </summary>
    /// <exception cref="ArgumentException">The value contains a NUL character.</exception>
    public static StringBuilder AppendQuoted(StringBuilder target, StringBuilder value)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(value);
        target.Append('\'');
        foreach (var chunk in value.GetChunks()) AppendBody(target, chunk.Span);
        return target.Append('\'');
    }

    /// <summary>Appends <paramref name="value"/> to <paramref name="target"/> quoted exactly as <see cref="Quote"/> would.</summary>
    /// <exception cref="ArgumentException">The value contains a NUL character.</exception>
    public static StringBuilder AppendQuoted(StringBuilder target, string value)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(value);
        return AppendBody(target.Append('\''), value).Append('\'');
    }

    private static StringBuilder AppendBody(StringBuilder target, ReadOnlySpan<char> value)
    {
        if (value.Contains('\0'))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Value contains a NUL character, which cannot be passed to a remote shell.");
        for (var i = value.IndexOf('\''); i >= 0; i = value.IndexOf('\''))
        {
            target.Append(value[..i]).Append("'\\''");
            value = value[(i + 1)..];
        }
        return target.Append(value);
    }

    /// <summary>Quotes each value and joins them with spaces.</summary>
    public static string Join(IEnumerable<string> values) => string.Join(' ', values.Select(Quote));
}
