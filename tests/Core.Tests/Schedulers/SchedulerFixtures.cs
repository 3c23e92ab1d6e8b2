using System.Text;
using Firecrest.Core.Configuration;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.Schedulers;

/// <summary>Recorded outputs and a tiny POSIX word splitter used to compare command lines by their argv.</summary>
internal static class SchedulerFixtures
{
    public static RecordedCommand SshOutput(string name) => Fixtures.Transcript(name);

    /// <summary>Answers commands containing <paramref name="match"/> with the recorded output of transcript <paramref name="name"/>.</summary>
    public static TranscriptShell WithFixture(this TranscriptShell shell, string match, string name) => shell.WithRecorded(match, name);

    public static string Api(string name) => Fixtures.Body(name);

    public static ClusterSettings Cluster(string version = "22.05.8") => new()
    {
        Name = "cluster-slurm-ssh",
        Scheduler = new SchedulerSettings { Type = SchedulerType.Slurm, Version = version },
    };

    /// <summary>
    /// Splits a command line into words as a POSIX shell would for quoting ('…', "…", backslash); unquoted
    /// <c>; &amp; | &lt; &gt;</c> become words of their own, so an injection shows up as an extra word.
    /// </summary>
    public static List<string> Words(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException("unterminated '");
                sb.Append(line, i + 1, end - i - 1); i = end; inWord = true;
            }
            else if (c == '"')
            {
                i++; inWord = true;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && "\\\"$`".Contains(line[i + 1])) i++;
                    else if (line[i] is '$' or '`') throw new FormatException("expansion inside double quotes");
                    sb.Append(line[i]);
                }
                if (i >= line.Length) throw new FormatException("unterminated \"");
            }
            else if (c == '\\' && i + 1 < line.Length) { sb.Append(line[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c)) { if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; } }
            else if (";&|<>".Contains(c)) { if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; } words.Add(c.ToString()); }
            else if (c is '$' or '`') throw new FormatException("unquoted expansion");
            else { sb.Append(c); inWord = true; }
        }
        if (inWord) words.Add(sb.ToString());
        return words;
    }
}
