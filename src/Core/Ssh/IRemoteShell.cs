namespace Firecrest.Core.Ssh;

/// <summary>A command line for a remote POSIX shell. Every user-supplied word in it must come from <see cref="ShellQuote.Quote"/>.</summary>
/// <param name="CommandLine">The command line, run by the user's login shell.</param>
public sealed record RemoteCommand(string CommandLine)
{
    /// <summary>Text written to the command's stdin, followed by EOF; null = no stdin.</summary>
    public string? Stdin { get; init; }

    /// <summary>False for commands that must never run twice (submits): not retried after a timeout or a lost connection.</summary>
    public bool Idempotent { get; init; } = true;

    /// <summary>Overrides the cluster's command timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides the output limit in bytes (default: the cluster's max_ops_file_size).</summary>
    public long? OutputLimit { get; init; }

    /// <summary>
    /// Shell code run before the command in the same remote shell (the path resolution of
    /// <see cref="FileSystem.ResolvedPathGuard"/>); it exits the shell to stop the command. Null = none.
    /// </summary>
    public string? Guard { get; init; }

    /// <summary>
    /// The command line is one program with its words (no list, pipeline, redirection or shell builtin). After a
    /// <see cref="Guard"/> the shell then replaces itself by it (<c>exec</c>) instead of forking: a lone command is
    /// exec'd by the shell anyway, one after other code is not, and that fork costs as much as the guard.
    /// </summary>
    public bool SingleProgram { get; init; }

    /// <summary>Environment assignments prepended as <c>K='v'</c> (names must be shell identifiers).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// Reads the standard output of a command that exits 0 from the bytes as received, in place of their decoding
    /// into <see cref="RemoteCommandResult.Stdout"/> (then empty); its value is <see cref="RemoteCommandResult.StdoutRead"/>.
    /// A large listing then never exists as one string. A shell that holds only text (a transcript) ignores it:
    /// callers read <see cref="RemoteCommandResult.Stdout"/> when <see cref="RemoteCommandResult.StdoutRead"/> is null.
    /// </summary>
    public OutputReader? StdoutReader { get; init; }
}

/// <summary>Reads a command's standard output from its bytes, which are valid only during the call.</summary>
public delegate object OutputReader(ReadOnlySpan<byte> stdout);

/// <summary>The outcome of a remote command.</summary>
/// <param name="ExitStatus">Exit status (124 = timed out under <c>timeout</c>; 128 + N = ended by signal N).</param>
/// <param name="Stdout">Standard output, UTF-8 decoded with replacement.</param>
/// <param name="Stderr">Standard error, UTF-8 decoded with replacement.</param>
public sealed record RemoteCommandResult(int ExitStatus, string Stdout, string Stderr)
{
    /// <summary>What <see cref="RemoteCommand.StdoutReader"/> returned; null without one or when the command failed.</summary>
    public object? StdoutRead { get; init; }

    /// <summary>
    /// The result of a command that exited with <paramref name="exitStatus"/>: <paramref name="stdout"/> read by
    /// <paramref name="reader"/> when there is one and the status is 0, else decoded.
    /// </summary>
    internal static RemoteCommandResult Of(int exitStatus, ReadOnlySpan<byte> stdout, string stderr, OutputReader? reader) =>
        reader is not null && exitStatus == 0
            ? new RemoteCommandResult(exitStatus, "", stderr) { StdoutRead = reader(stdout) }
            : new RemoteCommandResult(exitStatus, Ssh.SshCommandExecutor.Utf8.GetString(stdout), stderr);
}

/// <summary>Runs commands on a system as a user (the SSH pool in production, transcripts in unit tests).</summary>
public interface IRemoteShell
{
    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="system"/> as <paramref name="user"/>.
    /// A non-zero exit status is returned, not thrown. Connection failures throw <see cref="HpcException"/>
    /// with <see cref="HpcErrorKind.ConnectionFailed"/>, timeouts <see cref="HpcErrorKind.Timeout"/>,
    /// output over the limit <see cref="HpcErrorKind.TooLarge"/>.
    /// </summary>
    Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken);
}
