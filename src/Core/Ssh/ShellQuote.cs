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
        if (value.Contains('\0'))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Value contains a NUL character, which cannot be passed to a remote shell.");
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('\'');
        foreach (var c in value)
        {
            if (c == '\'') sb.Append("'\\''");
            else sb.Append(c);
        }
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Quotes each value and joins them with spaces.</summary>
    public static string Join(IEnumerable<string> values) => string.Join(' ', values.Select(Quote));
}
