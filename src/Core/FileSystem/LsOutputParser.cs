using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Parses <c>ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S'</c> output. Names are C-quoted (so a name never
/// spans lines); <c>"a" -&gt; "b"</c> gives a link target; with <c>-R</c> the output is split on <c>"dir":</c> headers and
/// names are prefixed by their sub-folder relative to the first (root) header.
/// </summary>
public static class LsOutputParser
{
    /// <summary>Parses a listing, recursive or not.</summary>
    public static List<RemoteFile> Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var files = new List<RemoteFile>();
        string? root = null;
        var prefix = "";
        foreach (var rawLine in stdout.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (TryReadHeader(line, out var folder))
            {
                folder = folder.TrimEnd('/');
                if (root is null)
                {
                    root = folder + "/";
                    prefix = "";
                }
                else
                {
                    var withSlash = folder + "/";
                    prefix = withSlash.StartsWith(root, StringComparison.Ordinal) ? withSlash[root.Length..] : withSlash;
                }
                continue;
            }
            if (TryParseEntry(line, prefix) is { } file) files.Add(file);
        }
        return files;
    }

    /// <summary>Parses the output of <c>ls -d</c> after a command that printed other lines first: the last entry wins.</summary>
    public static RemoteFile ParseSingle(string stdout)
    {
        var files = Parse(stdout);
        return files.Count > 0
            ? files[^1]
            : throw new HpcException(HpcErrorKind.Internal, "Unexpected output of ls: no file entry found.");
    }

    /// <summary>
    /// Parses one entry line, or returns null when the line is not an entry (e.g. <c>total 4</c>). The line is
    /// <c>TYPE+PERMISSIONS LINKS USER GROUP SIZE DATE NAME[ -&gt; TARGET]</c>: fields separated by whitespace, links and
    /// size made of digits, the date of digits, <c>T</c>, <c>:</c> and <c>-</c>, then the C-quoted name.
    /// </summary>
    public static RemoteFile? TryParseEntry(string line, string prefix = "")
    {
        var i = 0;
        if (!Field(line, ref i, out var mode) || mode.Length < 2) return null;
        if (!Field(line, ref i, out var links) || !All(links, Digit)) return null;
        if (!Field(line, ref i, out var user)) return null;
        if (!Field(line, ref i, out var group)) return null;
        if (!Field(line, ref i, out var size) || !All(size, Digit)) return null;
        if (!Field(line, ref i, out var date) || !All(date, DateChar)) return null;
        var nameStart = SkipSpace(line, i);
        if (nameStart == i || nameStart >= line.Length) return null;
        if (!CQuotedText.TryRead(line, nameStart, out var name, out var end)) return null;
        string? linkTarget = null;
        if (end < line.Length)
        {
            const string arrow = " -> ";
            if (!line.AsSpan(end).StartsWith(arrow, StringComparison.Ordinal)) return null;
            if (!CQuotedText.TryRead(line, end + arrow.Length, out var target, out var targetEnd) || targetEnd != line.Length) return null;
            linkTarget = target;
        }
        return new RemoteFile
        {
            Name = prefix + name,
            Type = TypeOf(line[0]),
            LinkTarget = linkTarget,
            User = user.ToString(),
            Group = group.ToString(),
            Permissions = mode[1..].ToString(),
            LastModified = date.ToString(),
            Size = size.ToString(),
        };
    }

    /// <summary>
    /// The run of non-white-space characters at <paramref name="i"/>, which must start the line or follow white space;
    /// <paramref name="i"/> moves past it.
    /// </summary>
    private static bool Field(string line, ref int i, out ReadOnlySpan<char> field)
    {
        field = default;
        var start = i == 0 ? 0 : SkipSpace(line, i);
        if (i > 0 && start == i) return false;
        var end = start;
        while (end < line.Length && !char.IsWhiteSpace(line[end])) end++;
        if (end == start) return false;
        field = line.AsSpan(start, end - start);
        i = end;
        return true;
    }

    private static string TypeOf(char c) => c switch
    {
        '-' => "-",
        'd' => "d",
        'l' => "l",
        _ => c.ToString(),
    };

    private static int SkipSpace(string line, int i)
    {
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        return i;
    }

    private static bool All(ReadOnlySpan<char> field, Func<char, bool> allowed)
    {
        foreach (var c in field)
        {
            if (!allowed(c)) return false;
        }
        return true;
    }

    private static bool Digit(char c) => char.IsDigit(c);

    private static bool DateChar(char c) => char.IsDigit(c) || c is 'T' or ':' or '-';

    private static bool TryReadHeader(string line, out string folder)
    {
        folder = "";
        return line.Length >= 3 && line[0] == '"' && line.EndsWith("\":", StringComparison.Ordinal)
            && CQuotedText.TryRead(line, 0, out folder, out var end) && end == line.Length - 1;
    }
}
