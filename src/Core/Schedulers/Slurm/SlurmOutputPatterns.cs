namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>
/// The standard stream patterns a batch job was submitted with, found as Slurm itself decides them: an option on the
/// sbatch command line wins over an <c>#SBATCH</c> line of the script, and without either stdout goes to
/// <c>slurm-%j.out</c> (<c>slurm-%A_%a.out</c> for an array element) and stderr to the same file. Used once the
/// controller has forgotten the job and only accounting (SubmitLine, the stored script) remains.
/// </summary>
public static class SlurmOutputPatterns
{
    /// <summary>The stdin, stdout and stderr patterns (stdin null when not given).</summary>
    public static (string? Input, string Output, string Error) Find(string? submitLine, string? script, bool arrayElement)
    {
        var fromScript = Options(ScriptDirectives(script));
        var fromLine = Options(SubmitLineOptions(submitLine));
        string? Pick(string key) => fromLine.GetValueOrDefault(key) ?? fromScript.GetValueOrDefault(key);
        var output = Pick("output") ?? (arrayElement ? "slurm-%A_%a.out" : "slurm-%j.out");
        return (Pick("input"), output, Pick("error") ?? output);
    }

    /// <summary>The words of the <c>#SBATCH</c> lines before the first command of <paramref name="script"/>.</summary>
    internal static IEnumerable<string> ScriptDirectives(string? script)
    {
        if (string.IsNullOrEmpty(script)) yield break;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!line.StartsWith('#')) yield break; // sbatch stops reading options at the first command
            if (!line.StartsWith("#SBATCH", StringComparison.Ordinal) || line.Length == 7 || !char.IsWhiteSpace(line[7])) continue;
            var text = line[7..];
            var hash = text.IndexOf(" #", StringComparison.Ordinal); // a trailing comment
            if (hash >= 0) text = text[..hash];
            foreach (var word in Words(text)) yield return word;
        }
    }

    /// <summary>The option words of an sbatch command line, up to the script path (later words are the script's arguments).</summary>
    internal static IEnumerable<string> SubmitLineOptions(string? submitLine)
    {
        if (string.IsNullOrWhiteSpace(submitLine)) yield break;
        var words = Words(submitLine).ToList();
        for (var i = 1; i < words.Count; i++) // words[0] is sbatch itself
        {
            var w = words[i];
            if (w == "--" || !w.StartsWith('-')) yield break;
            yield return w;
            if (TakesSeparateValue(w) && i + 1 < words.Count) yield return words[++i];
        }
    }

    private static bool TakesSeparateValue(string word) =>
        word is "-o" or "-e" or "-i" or "-J" or "-D" or "-A" or "-p" or "-t" or "-n" or "-N" or "-c" or "-a" or "-d" or "-q" or "-w" or "-x" or "-C" or "-L" or "-M" or "-G"
        || (word.StartsWith("--", StringComparison.Ordinal) && !word.Contains('=') && word is not ("--parsable" or "--hold" or "--wait" or "--exclusive" or "--requeue" or "--no-requeue"
            or "--test-only" or "--quiet" or "--verbose" or "--overcommit" or "--contiguous" or "--ignore-pbs" or "--spread-job" or "--use-min-nodes" or "--oversubscribe" or "--reboot" or "--no-kill"));

    /// <summary>output/error/input values from option words (<c>-o X</c>, <c>-oX</c>, <c>--output=X</c>, <c>--output X</c>).</summary>
    private static Dictionary<string, string> Options(IEnumerable<string> words)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = words.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var w = list[i];
            foreach (var (key, shortName, longName) in Streams)
            {
                string? value = null;
                if (w == shortName || w == longName) value = i + 1 < list.Count ? list[++i] : null;
                else if (w.StartsWith(longName + "=", StringComparison.Ordinal)) value = w[(longName.Length + 1)..];
                else if (w.StartsWith(shortName, StringComparison.Ordinal) && w.Length > 2 && !w.StartsWith("--", StringComparison.Ordinal)) value = w[2..];
                if (value is { Length: > 0 }) { found[key] = value; break; }
            }
        }
        return found;
    }

    private static readonly (string Key, string Short, string Long)[] Streams =
        [("output", "-o", "--output"), ("error", "-e", "--error"), ("input", "-i", "--input")];

    /// <summary>Splits a command line into words as a POSIX shell would (single and double quotes, backslashes).</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var word = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                inWord = true;
                var end = text.IndexOf('\'', i + 1);
                if (end < 0) end = text.Length;
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                inWord = true;
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') i++;
                    word.Append(text[i]);
                }
            }
            else if (c == '\\' && i + 1 < text.Length) { inWord = true; word.Append(text[++i]); }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) yield return word.ToString();
                word.Clear();
                inWord = false;
            }
            else { inWord = true; word.Append(c); }
        }
        if (inWord) yield return word.ToString();
    }
}
