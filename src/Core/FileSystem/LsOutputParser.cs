using System.Buffers;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Parses <c>ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S'</c> output. Names are C-quoted (so a name never
/// spans lines); <c>"a" -&gt; "b"</c> gives a link target; with <c>-R</c> the output is split on <c>"dir":</c> headers and
/// names are prefixed by their sub-folder relative to the first (root) header. Entry lines are read field by field
/// without copying the line; owner, group and permissions repeated from the previous entry share its strings.
/// </summary>
public static class LsOutputParser
{
    /// <summary>Parses a listing, recursive or not.</summary>
    public static List<RemoteFile> Parse(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var listing = new Listing(stdout.AsSpan().Count('\n') + 1);
        var rest = stdout.AsSpan();
        while (rest.Length > 0)
        {
            var newline = rest.IndexOf('\n');
            listing.Add(newline < 0 ? rest : rest[..newline]);
            rest = newline < 0 ? [] : rest[(newline + 1)..];
        }
        return listing.Files;
    }

    /// <summary>
    /// Parses a listing from its UTF-8 bytes (invalid sequences read as U+FFFD), one line decoded at a time: the
    /// whole listing is never one string (a string of a large listing is a large object, which costs a full
    /// collection of the heap after a few of them).
    /// </summary>
    public static List<RemoteFile> Parse(ReadOnlySpan<byte> stdout)
    {
        var listing = new Listing(stdout.Count((byte)'\n') + 1);
        var chars = ArrayPool<char>.Shared.Rent(1024);
        try
        {
            var rest = stdout;
            while (rest.Length > 0)
            {
                var newline = rest.IndexOf((byte)'\n');
                var line = newline < 0 ? rest : rest[..newline];
                rest = newline < 0 ? [] : rest[(newline + 1)..];
                if (line.Length > chars.Length)
                {
                    ArrayPool<char>.Shared.Return(chars);
                    chars = ArrayPool<char>.Shared.Rent(line.Length);
                }
                listing.Add(chars.AsSpan(0, Ssh.SshCommandExecutor.Utf8.GetChars(line, chars)));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
        return listing.Files;
    }

    /// <summary>A listing read line by line: the entries so far, and the folder that the last <c>-R</c> header named.</summary>
    private sealed class Listing(int capacity)
    {
        private Recent _recent;
        private string? _root;
        private string _prefix = "";

        public List<RemoteFile> Files { get; } = new(capacity);

        public void Add(ReadOnlySpan<char> line)
        {
            line = line.TrimEnd('\r');
            if (line.Length == 0) return;
            if (TryReadHeader(line, out var folder))
            {
                folder = folder.TrimEnd('/');
                if (_root is null)
                {
                    _root = folder + "/";
                    _prefix = "";
                }
                else
                {
                    var withSlash = folder + "/";
                    _prefix = withSlash.StartsWith(_root, StringComparison.Ordinal) ? withSlash[_root.Length..] : withSlash;
                }
                return;
            }
            if (TryParseEntry(line, _prefix, ref _recent) is { } file) Files.Add(file);
        }
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
    /// <c>TYPE+PERMISSIONS LINKS USER GROUP SIZE DATE NAME[ -&gt; TARGET]</c>: fields separated by white space, links and
    /// size made of digits, the date of digits, <c>T</c>, <c>:</c> and <c>-</c>, then the C-quoted name.
    /// </summary>
    public static RemoteFile? TryParseEntry(string line, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        var recent = new Recent();
        return TryParseEntry(line, prefix, ref recent);
    }

    private static RemoteFile? TryParseEntry(ReadOnlySpan<char> line, string prefix, ref Recent recent)
    {
        var i = 0;
        if (!Field(line, ref i, out var mode) || mode.Length < 2) return null;
        if (!Field(line, ref i, out var links) || !AllDigits(links)) return null;
        if (!Field(line, ref i, out var user)) return null;
        if (!Field(line, ref i, out var group)) return null;
        if (!Field(line, ref i, out var size) || !AllDigits(size)) return null;
        if (!Field(line, ref i, out var date) || !AllDateChars(date)) return null;
        var nameStart = SkipSpace(line, i);
        if (nameStart == i || nameStart >= line.Length) return null;
        if (!CQuotedText.TryRead(line, nameStart, out var name, out var end)) return null;
        string? linkTarget = null;
        if (end < line.Length)
        {
            const string arrow = " -> ";
            if (!line[end..].StartsWith(arrow, StringComparison.Ordinal)) return null;
            if (!CQuotedText.TryRead(line, end + arrow.Length, out var target, out var targetEnd) || targetEnd != line.Length) return null;
            linkTarget = target;
        }
        return new RemoteFile
        {
            Name = prefix.Length == 0 ? name : prefix + name,
            Type = TypeOf(line[0]),
            LinkTarget = linkTarget,
            User = Reuse(ref recent.User, user),
            Group = Reuse(ref recent.Group, group),
            Permissions = Reuse(ref recent.Permissions, mode[1..]),
            LastModified = date.ToString(),
            Size = size.ToString(),
        };
    }

    /// <summary>The strings of the previous entry, shared when the next entry repeats them.</summary>
    private struct Recent
    {
        public string? User;
        public string? Group;
        public string? Permissions;
    }

    private static string Reuse(ref string? previous, ReadOnlySpan<char> value)
    {
        if (previous is not null && value.SequenceEqual(previous)) return previous;
        return previous = value.ToString();
    }

    /// <summary>
    /// The run of non-white-space characters at <paramref name="i"/>, which must start the line or follow white space;
    /// <paramref name="i"/> moves past it.
    /// </summary>
    private static bool Field(ReadOnlySpan<char> line, ref int i, out ReadOnlySpan<char> field)
    {
        field = default;
        var start = i == 0 ? 0 : SkipSpace(line, i);
        if (i > 0 && start == i) return false;
        var end = start;
        while (end < line.Length && !char.IsWhiteSpace(line[end])) end++;
        if (end == start) return false;
        field = line[start..end];
        i = end;
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<char> line, int i)
    {
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        return i;
    }

    private static bool AllDigits(ReadOnlySpan<char> field)
    {
        foreach (var c in field)
        {
            if (!char.IsDigit(c)) return false;
        }
        return true;
    }

    private static bool AllDateChars(ReadOnlySpan<char> field)
    {
        foreach (var c in field)
        {
            if (!char.IsDigit(c) && c is not ('T' or ':' or '-')) return false;
        }
        return true;
    }

    private static string TypeOf(char c) => c switch
    {
        '-' => "-",
        'd' => "d",
        'l' => "l",
        _ => c.ToString(),
    };

    private static bool TryReadHeader(ReadOnlySpan<char> line, out string folder)
    {
        folder = "";
        return line.Length >= 3 && line[0] == '"' && line.EndsWith("\":", StringComparison.Ordinal)
            && CQuotedText.TryRead(line, 0, out folder, out var end) && end == line.Length - 1;
    }
}
