using System.Text;

namespace Firecrest.Core.FileSystem;

/// <summary>Reads the C-style quoted strings that <c>ls --quoting-style=c</c> prints (<c>"a\"b\\c\n\303\251"</c>).</summary>
public static class CQuotedText
{
    /// <summary>
    /// Reads one quoted string starting at <paramref name="start"/> (which must be <c>"</c>). Octal escapes are bytes and
    /// the result is decoded as UTF-8, so names that ls printed in the C locale come back with their letters.
    /// Returns false when there is no complete quoted string there.
    /// </summary>
    public static bool TryRead(string text, int start, out string value, out int end) => TryRead(text.AsSpan(), start, out value, out end);

    /// <summary>Reads one quoted string of <paramref name="text"/> starting at <paramref name="start"/> (see the string overload).</summary>
    public static bool TryRead(ReadOnlySpan<char> text, int start, out string value, out int end)
    {
        value = "";
        end = start;
        if (start >= text.Length || text[start] != '"') return false;
        if (TryReadPlain(text, start, out value, out end)) return true;
        var bytes = new List<byte>(text.Length);
        var run = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                Flush(run, bytes);
                value = Encoding.UTF8.GetString(bytes.ToArray());
                end = i + 1;
                return true;
            }
            if (c != '\\')
            {
                run.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.Length) return false;
            var e = text[i + 1];
            if (e is >= '0' and <= '7')
            {
                var n = 0;
                var j = i + 1;
                while (j < text.Length && j < i + 4 && text[j] is >= '0' and <= '7') n = n * 8 + (text[j++] - '0');
                Flush(run, bytes);
                bytes.Add((byte)(n & 0xFF));
                i = j;
                continue;
            }
            run.Append(e switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'a' => '\a',
                'b' => '\b',
                'f' => '\f',
                'v' => '\v',
                'e' => '\u001b',
                _ => e, // \" \\ \? \' and anything unknown stand for themselves
            });
            i += 2;
        }
        return false;
    }

    /// <summary>The common case: no escape (and no surrogate) before the closing quote, so the text is the value as is.</summary>
    private static bool TryReadPlain(ReadOnlySpan<char> text, int start, out string value, out int end)
    {
        value = "";
        end = start;
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                value = text.Slice(start + 1, i - start - 1).ToString();
                end = i + 1;
                return true;
            }
            if (c == '\\' || char.IsSurrogate(c)) return false;
        }
        return false;
    }

    private static void Flush(StringBuilder run, List<byte> bytes)
    {
        if (run.Length == 0) return;
        bytes.AddRange(Encoding.UTF8.GetBytes(run.ToString()));
        run.Clear();
    }
}
