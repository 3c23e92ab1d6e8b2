using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Core.Ssh;

/// <summary>
/// How a command line runs in a reused shell (<see cref="ShellSession"/>) and how its output is told apart from the next
/// command's: the line runs in a subshell with stdin from <c>/dev/null</c>, then the shell prints an end mark on stderr
/// and the mark with the exit status on stdout. The mark is new for every command (128 random bits), so no output that
/// existed before the command was sent can contain it.
/// </summary>
internal static class ShellFrame
{
    private const string MarkPrefix = "fc-end-";

    /// <summary>A new end mark.</summary>
    public static string NewMark() => MarkPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The text written to the shell's stdin for <paramref name="commandLine"/>. The line is one quoted word given to
    /// <c>eval</c> inside the subshell, so a line the shell cannot parse fails that subshell alone (a syntax error ends a
    /// non-interactive shell), and <c>exit</c> or <c>exec</c> in it end the subshell, not the reused shell.
    /// </summary>
    public static byte[] Wrap(string commandLine, string mark)
    {
        var text = new StringBuilder(commandLine.Length + commandLine.Length / 8 + 160)
            .Append("( eval ");
        ShellQuote.AppendQuoted(text, commandLine);
        text.Append(" ) </dev/null; fc_s=$?; printf '%s\\n' ").Append(mark)
            .Append(" >&2; printf '%s %s\\n' ").Append(mark).Append(" \"$fc_s\"\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Looks for the end of a command's output in <paramref name="received"/>: the mark, then (on stdout,
    /// <paramref name="withStatus"/>) a space and the exit status, then a newline. Returns the length of the command's own
    /// output, or -1 while the end has not arrived whole. <paramref name="searchFrom"/> lets a caller skip what it already
    /// searched (the mark may start in bytes searched before, so pass at most the previous length minus the mark's).
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> received, ReadOnlySpan<byte> mark, bool withStatus, int searchFrom, out int exitStatus)
    {
        exitStatus = 0;
        var from = Math.Clamp(searchFrom, 0, received.Length);
        var at = received[from..].IndexOf(mark);
        if (at < 0) return -1;
        at += from;
        var rest = received[(at + mark.Length)..];
        var newline = rest.IndexOf((byte)'\n');
        if (newline < 0) return -1;
        if (withStatus)
        {
            var status = rest[..newline];
            if (status.Length < 2 || status[0] != (byte)' ') return -1;
            var value = 0;
            foreach (var b in status[1..])
            {
                if (b is < (byte)'0' or > (byte)'9' || value > 100_000) return -1;
                value = value * 10 + (b - '0');
            }
            exitStatus = value;
        }
        return at;
    }
}
