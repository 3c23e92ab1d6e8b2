using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// Parses <c>ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S'</c> output. Names are C-quoted (so a name never
/// spans lines); <c>"a" -&gt; "b"</c> gives a link target; with <c>-R</c> the output is split on <c>"dir":</c> headers and
/// names are prefixed by their sub-folder relative to the first (root) header.
/// </summary>
public static partial class LsOutputParser
{
    [GeneratedRegex(@"^(?<type>\S)(?<permissions>\S+)\s+\d+\s+(?<user>\S+)\s+(?<group>\S+)\s+(?<size>\d+)\s+(?<date>[\dT:\-]+)\s+(?<name>.+)$")]
    private static partial Regex EntryPattern();

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

    /// <summary>Parses one entry line, or returns null when the line is not an entry (e.g. <c>total 4</c>).</summary>
    public static RemoteFile? TryParseEntry(string line, string prefix = "")
    {
        var m = EntryPattern().Match(line);
        if (!m.Success) return null;
        var nameStart = m.Groups["name"].Index;
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
            Type = m.Groups["type"].Value,
            LinkTarget = linkTarget,
            User = m.Groups["user"].Value,
            Group = m.Groups["group"].Value,
            Permissions = m.Groups["permissions"].Value,
            LastModified = m.Groups["date"].Value,
            Size = m.Groups["size"].Value,
        };
    }

    private static bool TryReadHeader(string line, out string folder)
    {
        folder = "";
        return line.Length >= 3 && line[0] == '"' && line.EndsWith("\":", StringComparison.Ordinal)
            && CQuotedText.TryRead(line, 0, out folder, out var end) && end == line.Length - 1;
    }
}
