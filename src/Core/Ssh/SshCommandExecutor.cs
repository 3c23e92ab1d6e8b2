using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Firecrest.Core.Ssh;

/// <summary>The connection was lost (or unusable) while running a command.</summary>
internal sealed class SshConnectionLostException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Runs one command on one channel: stdin then EOF, stdout/stderr read as bytes and capped, a timeout that closes the
/// channel, caller cancellation.
/// </summary>
internal static class SshCommandExecutor
{
    /// <summary>How a command's output is decoded: UTF-8, invalid bytes replaced.</summary>
    internal static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The error of a command whose stdout or stderr passed <paramref name="outputLimit"/> bytes.</summary>
    internal static HpcException TooLarge(long outputLimit) =>
        new(HpcErrorKind.TooLarge, $"The command's output is too large: more than {outputLimit} bytes on stdout or stderr.");

    /// <summary>The error of a command that outlived <paramref name="timeout"/>; <paramref name="closed"/> names what was closed to end it.</summary>
    internal static HpcException TimedOut(TimeSpan timeout, string closed) =>
        new(HpcErrorKind.Timeout, $"The command did not finish within {timeout.TotalSeconds:0.###} s; its {closed} was closed.");

    public static async Task<RemoteCommandResult> RunAsync(SshClient client, string commandLine, string? stdin, TimeSpan timeout, long outputLimit,
        OutputReader? stdoutReader, CancellationToken cancellationToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(timeout);
        using var command = client.CreateCommand(commandLine, Utf8);
        Task execution;
        try
        {
            // Not fully asynchronous in SSH.NET: opening the channel and sending the exec request wait synchronously
            // for the server's replies (a round trip each, bounded by ConnectionInfo.Timeout).
            execution = command.ExecuteAsync(run.Token);
        }
        catch (Exception e) when (IsConnectionError(e) || !client.IsConnected)
        {
            // A connection lost between the channel's open and its exec request surfaces as "The channel is closed."
            // (InvalidOperationException): with the client disconnected, any failure to start is a lost connection.
            throw new SshConnectionLostException($"Could not start the command: {e.Message}", e);
        }
        var stdinTask = stdin is null ? Task.CompletedTask : WriteStdinAsync(command, stdin, run.Token);
        using var stdout = new PooledByteBuffer();
        using var stderr = new PooledByteBuffer();
        bool tooLarge;
        using (var watch = CommandOutputWatch.Start(command, stdout, stderr, outputLimit, run))
        {
            try
            {
                await execution.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (watch.TooLarge)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(timeout, "channel");
            }
            catch (Exception e) when (IsConnectionError(e) || !client.IsConnected)
            {
                throw new SshConnectionLostException($"The connection was lost while the command ran: {e.Message}", e);
            }
            tooLarge = !watch.Finish();
        }
        await ObserveAsync(stdinTask).ConfigureAwait(false);
        if (tooLarge)
            throw TooLarge(outputLimit);
        var errorText = Utf8.GetString(stderr.Written);
        var exitStatus = ExitStatusOf(command.ExitStatus, command.ExitSignal)
            ?? throw new SshConnectionLostException("The channel closed without the command's exit status or signal (its session on the server ended).",
                new SshConnectionException("The channel closed without exit-status or exit-signal."));
        if (command.ExitStatus is null && command.ExitSignal is { } signal)
            errorText += (errorText.Length == 0 || errorText.EndsWith('\n') ? "" : "\n") + $"The command was terminated by signal {signal}.";
        return RemoteCommandResult.Of(exitStatus, stdout.Written, errorText, stdoutReader);
    }

    /// <summary>
    /// The exit status a command reported, or for one ended by a signal 128 + the signal's number (as a shell reports
    /// it; 128 for a signal without a standard number). Null when the server sent neither: its session process ended
    /// without reporting the command, which happens when sshd itself is killed, so the caller treats it as a lost
    /// connection (an idempotent command is retried) rather than as a failure of the command.
    /// </summary>
    internal static int? ExitStatusOf(int? exitStatus, string? exitSignal) => (exitStatus, exitSignal) switch
    {
        ({ } status, _) => status,
        (null, { } signal) => 128 + SignalNumber(signal),
        _ => null,
    };

    // The numbers of RFC 4254's signal names that are the same on every Linux architecture.
    private static int SignalNumber(string signal) => signal switch
    {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "ILL" => 4,
        "ABRT" => 6,
        "FPE" => 8,
        "KILL" => 9,
        "SEGV" => 11,
        "PIPE" => 13,
        "ALRM" => 14,
        "TERM" => 15,
        _ => 0,
    };

    private static async Task WriteStdinAsync(SshCommand command, string stdin, CancellationToken cancellationToken)
    {
        var bytes = Utf8.GetBytes(stdin);
        // SSH.NET's channel input stream has no true async write (Stream.WriteAsync falls back to a pooled thread
        // running the synchronous write, which waits for the server's window). Disposing it sends EOF.
        await using var input = command.CreateInputStream();
        await input.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The command ended before reading all of stdin, or the channel closed: its exit status tells the caller.
        }
    }

    public static bool IsConnectionError(Exception e) =>
        e is SshConnectionException or SocketException or ObjectDisposedException or IOException
        || (e is SshException && e is not SshOperationTimeoutException);
}
