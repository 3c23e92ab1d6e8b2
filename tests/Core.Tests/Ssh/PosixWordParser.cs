using System.Text;

namespace Firecrest.Core.Tests.Ssh;

/// <summary>A small POSIX shell word splitter (quotes, backslash escapes, no expansions) to check quoting independently.</summary>
internal static class PosixWordParser
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case '\'':
                    inWord = true;
                    var end = line.IndexOf('\'', i + 1);
                    if (end < 0) throw new FormatException("unterminated single quote");
                    current.Append(line, i + 1, end - i - 1);
                    i = end;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= line.Length) throw new FormatException("unterminated double quote");
                        if (line[i] == '"') break;
                        if (line[i] == '\\' && i + 1 < line.Length && "$`\"\\\n".Contains(line[i + 1])) i++;
                        else if (line[i] is '$' or '`') throw new FormatException("expansion inside double quotes");
                        current.Append(line[i]);
                    }
                    break;
                case '\\':
                    inWord = true;
                    if (++i >= line.Length) throw new FormatException("trailing backslash");
                    if (line[i] != '\n') current.Append(line[i]);
                    break;
                case ' ' or '\t' or '\n':
                    if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                    break;
                default:
                    if ("$`;&|<>()*?[#~".Contains(c)) throw new FormatException($"unquoted shell metacharacter '{c}'");
                    inWord = true;
                    current.Append(c);
                    break;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
