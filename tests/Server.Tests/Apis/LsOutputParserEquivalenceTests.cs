using System.Text;
using System.Text.RegularExpressions;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;

namespace Firecrest.Server.Tests.Apis;

/// <summary>
/// The hand-written ls line parser (faster ops/ls) accepts and reads exactly what the former regular expression did.
/// The reference below is that former implementation.
/// </summary>
public sealed class LsOutputParserEquivalenceTests
{
    private static readonly Regex Former = new(
        @"^(?<type>\S)(?<permissions>\S+)\s+\d+\s+(?<user>\S+)\s+(?<group>\S+)\s+(?<size>\d+)\s+(?<date>[\dT:\-]+)\s+(?<name>.+)$");

    private static RemoteFile? FormerParse(string line, string prefix)
    {
        var m = Former.Match(line);
        if (!m.Success) return null;
        if (!CQuotedText.TryRead(line, m.Groups["name"].Index, out var name, out var end)) return null;
        string? linkTarget = null;
        if (end < line.Length)
        {
            if (!line.AsSpan(end).StartsWith(" -> ", StringComparison.Ordinal)) return null;
            if (!CQuotedText.TryRead(line, end + 4, out var target, out var targetEnd) || targetEnd != line.Length) return null;
            linkTarget = target;
        }
        return new RemoteFile
        {
            Name = prefix + name, Type = m.Groups["type"].Value, LinkTarget = linkTarget, User = m.Groups["user"].Value,
            Group = m.Groups["group"].Value, Permissions = m.Groups["permissions"].Value, LastModified = m.Groups["date"].Value,
            Size = m.Groups["size"].Value,
        };
    }

    private static string Show(RemoteFile? f) => f is null ? "null"
        : $"{f.Name}|{f.Type}|{f.LinkTarget}|{f.User}|{f.Group}|{f.Permissions}|{f.LastModified}|{f.Size}";

    [Theory]
    [InlineData("-rw-r--r-- 1 fireuser fireuser 0 2026-01-01T00:00:00 \"entry-0001.dat\"")]
    [InlineData("lrwxrwxrwx 1 u g 4 2026-01-01T00:00:00 \"a b\" -> \"t\\\"x\"")]
    [InlineData("drwxr-xr-x.  12 u  g\t4096 2026-01-01T00:00:00   \"dir\\303\\251\"")]
    [InlineData("total 4")]
    [InlineData(" -rw-r--r-- 1 u g 0 2026-01-01T00:00:00 \"x\"")]
    [InlineData("-rw-r--r-- 1 u g 0 2026-01-01T00:00:00 ")]
    [InlineData("-rw-r--r-- 1 u g 0 2026-01-01T00:00:00")]
    [InlineData("crw-rw-rw- 1 root root 1, 3 2026-01-01T00:00:00 \"null\"")]
    [InlineData("- 1 u g 0 2026-01-01T00:00:00 \"x\"")]
    [InlineData("-rw 1 u g 0 2026-01-01T00:00:00 \"x\" -> ")]
    [InlineData("-rw \u0663 u g \u0661 2026-01-01T00:00:00\u00A0\"x\"")]
    [InlineData("-rw 1 u g 0 2026-01-01T00:00:00 \"unterminated")]
    [InlineData("-rw 1 u g 0 2026-01-01 00:00:00 \"x\"")]
    public void Known_lines_parse_as_before(string line) =>
        Assert.Equal(Show(FormerParse(line, "sub/")), Show(LsOutputParser.TryParseEntry(line, "sub/")));

    [Fact]
    public void Random_lines_parse_as_before()
    {
        var random = new Random(20260101);
        string[] pieces = ["-rw-r--r--", "d", "l", "1", "12", "\u0663", "u", "g", "0", "4096", "2026-01-01T00:00:00", "T", ":", "-",
            "\"a\"", "\"a b\"", "\"\\303\\251\"", "\"\\\"\"", "\"", "\\", " -> ", "->", "x", "\uD83D\uDE00", ","];
        string[] spaces = [" ", "  ", "\t", "\u00A0", "\u2003", ""];
        for (var n = 0; n < 20_000; n++)
        {
            var b = new StringBuilder();
            var count = random.Next(1, 12);
            for (var k = 0; k < count; k++)
            {
                b.Append(pieces[random.Next(pieces.Length)]);
                b.Append(spaces[random.Next(spaces.Length)]);
            }
            var line = b.ToString();
            Assert.True(Show(FormerParse(line, "")) == Show(LsOutputParser.TryParseEntry(line)), $"line: {line}");
        }
    }

    [Fact]
    public void Well_formed_random_entries_parse_as_before()
    {
        var random = new Random(7);
        string[] names = ["\"a\"", "\"a b\"", "\"\\303\\251t\\303\\251\"", "\"q\\\"x\"", "\"tab\\tx\"", "\"\u00e9\"", "\"\uD83D\uDE00\""];
        for (var n = 0; n < 5_000; n++)
        {
            var type = "-dlcbps"[random.Next(7)];
            var name = names[random.Next(names.Length)];
            var link = random.Next(3) == 0 ? " -> " + names[random.Next(names.Length)] : "";
            var line = $"{type}rw-r--r--{new string(' ', random.Next(1, 3))}{random.Next(1, 40)} user{random.Next(3)} grp {random.Next(0, 1 << 20)} 2026-0{random.Next(1, 9)}-01T12:00:0{random.Next(10)} {name}{link}";
            var former = FormerParse(line, "d/");
            Assert.NotNull(former);
            Assert.Equal(Show(former), Show(LsOutputParser.TryParseEntry(line, "d/")));
        }
    }

    private static List<RemoteFile> FormerParseAll(string stdout)
    {
        var files = new List<RemoteFile>();
        string? root = null;
        var prefix = "";
        foreach (var rawLine in stdout.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.Length >= 3 && line[0] == '"' && line.EndsWith("\":", StringComparison.Ordinal)
                && CQuotedText.TryRead(line, 0, out var folder, out var end) && end == line.Length - 1)
            {
                folder = folder.TrimEnd('/');
                if (root is null) { root = folder + "/"; prefix = ""; }
                else { var w = folder + "/"; prefix = w.StartsWith(root, StringComparison.Ordinal) ? w[root.Length..] : w; }
                continue;
            }
            if (FormerParse(line, prefix) is { } file) files.Add(file);
        }
        return files;
    }

    [Fact]
    public void Whole_listings_parse_as_before()
    {
        var random = new Random(11);
        string[] lines =
        [
            "total 8", "\"/home/u\":", "\"/home/u/sub\":", "\"/other/x\":", "", "\r",
            "-rw-r--r-- 1 u g 5 2026-01-01T00:00:00 \"a\"", "drwxr-xr-x 2 u g 4096 2026-01-01T00:00:00 \"sub\"",
            "lrwxrwxrwx 1 u2 g2 1 2026-01-01T00:00:00 \"l\" -> \"a\"", "-rw-r--r-- 1 u g 5 2026-01-01T00:00:00 \"unterminated",
            "-rw-r--r-- 1 u g 5 2026-01-01T00:00:00 \"x\"\r\r",
        ];
        for (var n = 0; n < 2_000; n++)
        {
            var text = string.Join(random.Next(4) == 0 ? "\r\n" : "\n", Enumerable.Range(0, random.Next(0, 15)).Select(_ => lines[random.Next(lines.Length)]));
            if (random.Next(2) == 0) text += "\n";
            Assert.Equal(FormerParseAll(text).Select(Show), LsOutputParser.Parse(text).Select(Show));
        }
    }
}
