using System.Text;
using System.Text.RegularExpressions;

namespace Firecrest.Core.Ssh;

/// <summary>Turns a <see cref="RemoteCommand"/> into the line sent to the remote shell.</summary>
public static partial class RemoteCommandLine
{
    /// <summary>
    /// The command line with each <see cref="RemoteCommand.Environment"/> entry prepended as <c>NAME='value' </c>
    /// (value through <see cref="ShellQuote.Quote"/>). Names must be shell identifiers. A <see cref="RemoteCommand.Guard"/>
    /// comes first, on its own line; a <see cref="RemoteCommand.SingleProgram"/> without environment is then exec'd.
    /// </summary>
    /// <exception cref="HpcException">Empty command, bad variable name or NUL in a value (<see cref="HpcErrorKind.InvalidArgument"/>).</exception>
    public static string Build(RemoteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.CommandLine))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The remote command line is empty.");
        if (command.CommandLine.Contains('\0'))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The remote command line contains a NUL character.");
        var guard = command.Guard;
        if (!string.IsNullOrEmpty(guard) && guard.Contains('\0'))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The remote command's guard contains a NUL character.");
        var env = command.Environment;
        if (env is not { Count: > 0 })
        {
            // Every file operation comes here: one allocation of the final length, the guard preamble (a few kilobytes)
            // copied once.
            return Checked(string.IsNullOrEmpty(guard)
                ? command.CommandLine
                : string.Concat(guard, command.SingleProgram ? "\nexec " : "\n", command.CommandLine));
        }
        var sb = new StringBuilder((guard?.Length ?? 0) + command.CommandLine.Length + 16 + 64 * env.Count);
        if (!string.IsNullOrEmpty(guard)) sb.Append(guard).Append('\n');
        foreach (var (name, value) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!IsValidName(name))
                throw new HpcException(HpcErrorKind.InvalidArgument, $"'{name}' is not a valid environment variable name (letters, digits and '_', not starting with a digit).");
            sb.Append(name).Append('=').Append(ShellQuote.Quote(value)).Append(' ');
        }
        return Checked(sb.Append(command.CommandLine).ToString());
    }

    /// <summary>
    /// Longest command line in UTF-8 bytes: the SSH exec request carries it in one packet, and a line near 64 KiB is
    /// refused by the SSH layer ("Packet is too big"). Large data goes on stdin instead.
    /// </summary>
    public const int MaxBytes = 60 * 1024;

    private static string Checked(string line)
    {
        var bytes = Encoding.UTF8.GetByteCount(line);
        return bytes <= MaxBytes
            ? line
            : throw new HpcException(HpcErrorKind.TooLarge, $"The remote command would be {bytes} bytes long; at most {MaxBytes} bytes can be sent (shorten the paths, script path or values).");
    }

    /// <summary>True when <paramref name="name"/> is a POSIX shell variable name.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex NamePattern();
}
