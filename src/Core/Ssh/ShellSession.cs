using System.Text;
using Renci.SshNet;

namespace Firecrest.Core.Ssh;

/// <summary>The reused shell ended (or failed) while a command ran in it; the connection itself may still be up.</summary>
/// <param name="message">What happened.</param>
/// <param name="inner">The failure behind it.</param>
/// <param name="notStarted">The command never reached the shell, so it can be sent again even when not idempotent.</param>
internal sealed class ShellSessionLostException(string message, Exception? inner = null, bool notStarted = false) : Exception(message, inner)
{
    /// <summary>The command never reached the shell.</summary>
    public bool NotStarted { get; } = notStarted;
}

/// <summary>The connection's server did not start a reused shell (a forced command, no <c>/bin/sh</c>, …).</summary>
internal sealed class ShellSessionUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One <c>/bin/sh</c> kept running on one channel of a pooled connection, which runs the commands given to it one after
/// another (<see cref="ShellFrame"/>). A command run this way costs the server no new session process and no new login
/// shell: measured on the test cluster, a stat with its path check cost sshd and the commands 3.1 ms of CPU against 5.7 ms
/// as an exec request of its own. Each command runs in a subshell with stdin from <c>/dev/null</c>, so it inherits
/// nothing from the commands before it (working directory, variables, traps, limits).
/// </summary>
/// <remarks>
/// Output is read as it arrives by two background threads, one per stream: SSH.NET's streams have no asynchronous read,
/// and a blocked thread-pool thread per stream would starve the pool. After a timeout, a cancellation or output over the
/// limit the session is closed (its channel closed), never reused: what the command still prints would be read as the
/// next command's.
/// </remarks>
internal sealed class ShellSession : IDisposable
{
    /// <summary>The command line of the channel that holds the shell.</summary>
    internal const string DefaultCommandLine = "exec /bin/sh -s";

    private readonly SshClient _client;
    private readonly SshCommand _command;
    private readonly Task _execution;
    private readonly Stream _input;
    private readonly object _lock = new();
    private Run? _run;
    private int _streamsEnded;
    private int _disposed;

    private ShellSession(SshClient client, SshCommand command, Task execution)
    {
        (_client, _command, _execution) = (client, command, execution);
        _input = command.CreateInputStream();
        Start(command.OutputStream, stdout: true);
        Start(command.ExtendedOutputStream, stdout: false);
    }

    /// <summary>False once the shell ended or was closed: it takes no more commands.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock) return _disposed == 0 && _streamsEnded == 0 && !_execution.IsCompleted;
        }
    }

    /// <summary>
    /// Opens a channel on <paramref name="client"/>, starts the shell (<paramref name="commandLine"/>, normally
    /// <see cref="DefaultCommandLine"/>) and waits until it answers a first (empty) command,
    /// which also drops whatever the user's start-up files printed.
    /// </summary>
    /// <exception cref="SshConnectionLostException">The connection failed while the channel opened.</exception>
    /// <exception cref="ShellSessionUnavailableException">The server ran something else than a shell, or it did not answer within <paramref name="timeout"/>.</exception>
    public static async Task<ShellSession> StartAsync(SshClient client, string commandLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = client.CreateCommand(commandLine, SshCommandExecutor.Utf8);
        Task execution;
        try
        {
            execution = command.ExecuteAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            command.Dispose();
            if (SshCommandExecutor.IsConnectionError(e) || !Connected(client))
                throw new SshConnectionLostException($"Could not open a channel for a shell: {e.Message}", e);
            throw new ShellSessionUnavailableException($"The server did not start a shell: {e.Message}", e);
        }
        ShellSession session;
        try
        {
            session = new ShellSession(client, command, execution);
        }
        catch (Exception e)
        {
            // The channel closed between the exec request and its input stream.
            command.Dispose();
            Observe(execution);
            if (!Connected(client)) throw new SshConnectionLostException($"The connection was lost while a shell started: {e.Message}", e);
            throw new ShellSessionUnavailableException($"The server's shell did not start: {e.Message}", e);
        }
        try
        {
            var ready = await session.RunAsync("true", timeout, 1 << 20, null, cancellationToken).ConfigureAwait(false);
            if (ready.ExitStatus != 0) throw new ShellSessionUnavailableException($"The shell's first command exited with {ready.ExitStatus}.");
            return session;
        }
        catch (Exception e) when (e is ShellSessionLostException or HpcException)
        {
            session.Dispose();
            if (!Connected(client)) throw new SshConnectionLostException($"The connection was lost while a shell started: {e.Message}", e);
            throw new ShellSessionUnavailableException($"The server's shell did not answer: {e.Message}", e);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="commandLine"/> in the shell, with the exit status it ended with (128 + N after signal N).
    /// One command at a time. After an exception other than a command's own failure the session is closed. The output
    /// of a command that exits 0 is read by <paramref name="stdoutReader"/> when given, on the thread that read its end
    /// (an exception of it fails the command).
    /// </summary>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.Timeout"/> or <see cref="HpcErrorKind.TooLarge"/>; the session is closed.</exception>
    /// <exception cref="ShellSessionLostException">The shell ended before the command did (the command may have run).</exception>
    /// <exception cref="SshConnectionLostException">The connection was lost.</exception>
    public async Task<RemoteCommandResult> RunAsync(string commandLine, TimeSpan timeout, long outputLimit, OutputReader? stdoutReader,
        CancellationToken cancellationToken)
    {
        var mark = ShellFrame.NewMark();
        var run = new Run(Encoding.ASCII.GetBytes(mark), outputLimit, stdoutReader);
        try
        {
            lock (_lock)
            {
                if (_run is not null) throw new InvalidOperationException("A command is already running in this shell.");
                if (_disposed != 0 || _streamsEnded != 0) throw new ShellSessionLostException("The shell has ended.", notStarted: true);
                _run = run;
            }
            try
            {
                _input.Write(ShellFrame.Wrap(commandLine, mark));
                _input.Flush();
            }
            catch (Exception e) when (e is not HpcException)
            {
                Dispose();
                throw Lost($"The command could not be sent to the shell: {e.Message}", e, notStarted: true);
            }
            try
            {
                return await run.Completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Dispose();
                throw SshCommandExecutor.TimedOut(timeout, "shell");
            }
            catch (Exception)
            {
                Dispose();
                throw;
            }
        }
        finally
        {
            lock (_lock)
            {
                if (ReferenceEquals(_run, run)) _run = null;
                // Under the lock: no reader thread is writing into the buffers now, and none will (the run is gone).
                run.Dispose();
            }
        }
    }

    private Exception Lost(string message, Exception? inner = null, bool notStarted = false) =>
        Connected(_client) ? new ShellSessionLostException(message, inner, notStarted) : new SshConnectionLostException(message, inner ?? new IOException(message));

    // The pool disposes the client of a connection it discards while shells on it are still being read.
    private static bool Connected(SshClient client)
    {
        try
        {
            return client.IsConnected;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void Start(Stream source, bool stdout)
    {
        var thread = new Thread(() => ReadLoop(source, stdout), maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = stdout ? "ssh-shell-stdout" : "ssh-shell-stderr",
        };
        thread.Start();
    }

    // Runs on a thread of its own: an exception escaping it would end the process, so none does.
    private void ReadLoop(Stream source, bool stdout)
    {
        var buffer = new byte[16 * 1024];
        Exception? failure = null;
        try
        {
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0) Received(buffer.AsSpan(0, n), stdout);
        }
        catch (ObjectDisposedException)
        {
            // The streams are disposed with the channel: the shell ended or was closed.
        }
        catch (Exception e)
        {
            failure = e;
        }
        lock (_lock)
        {
            _streamsEnded++;
            _run?.Fail(Lost(failure is null
                ? "The shell ended before the command finished (its channel closed)."
                : $"Reading the shell's output failed: {failure.Message}", failure));
        }
        if (failure is not null) Dispose();
    }

    private void Received(ReadOnlySpan<byte> data, bool stdout)
    {
        lock (_lock)
        {
            // Output with no command running (what start-up files print before the first command) is dropped.
            _run?.Append(data, stdout);
        }
    }

    /// <summary>Closes the channel (the shell reads EOF and ends); the reader threads end with it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _command.Dispose();
        }
        catch (Exception)
        {
            // The connection may already be gone.
        }
        Observe(_execution);
    }

    // The channel's task faults when its channel or connection is torn down; nobody awaits it.
    private static void Observe(Task execution) =>
        execution.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    // One command's output while it runs; touched only under the session's lock.
    private sealed class Run(byte[] mark, long limit, OutputReader? stdoutReader) : IDisposable
    {
        private readonly PooledByteBuffer _stdout = new();
        private readonly PooledByteBuffer _stderr = new();
        private int _stdoutEnd = -1;
        private int _stderrEnd = -1;
        private int _exitStatus;

        public TaskCompletionSource<RemoteCommandResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Append(ReadOnlySpan<byte> data, bool stdout)
        {
            if (Completion.Task.IsCompleted) return;
            var sink = stdout ? _stdout : _stderr;
            if (stdout ? _stdoutEnd >= 0 : _stderrEnd >= 0) return;
            var searched = Math.Max(0, sink.Length - mark.Length - 16);
            // Until the end is seen the buffer may also hold the end mark and the status after it.
            if ((long)sink.Length + data.Length > limit + mark.Length + 16)
            {
                Completion.TrySetException(SshCommandExecutor.TooLarge(limit));
                return;
            }
            sink.Write(data);
            var end = ShellFrame.FindEnd(sink.Written, mark, withStatus: stdout, searched, out var status);
            if (end < 0) return;
            if (end > limit)
            {
                Completion.TrySetException(SshCommandExecutor.TooLarge(limit));
                return;
            }
            if (stdout) (_stdoutEnd, _exitStatus) = (end, status);
            else _stderrEnd = end;
            if (_stdoutEnd < 0 || _stderrEnd < 0) return;
            try
            {
                Completion.TrySetResult(RemoteCommandResult.Of(_exitStatus, _stdout.Written[.._stdoutEnd],
                    SshCommandExecutor.Utf8.GetString(_stderr.Written[.._stderrEnd]), stdoutReader));
            }
            catch (Exception e)
            {
                // The reader's failure is the command's; it must not end the thread that reads the shell.
                Completion.TrySetException(e);
            }
        }

        public void Fail(Exception e) => Completion.TrySetException(e);

        public void Dispose()
        {
            _stdout.Dispose();
            _stderr.Dispose();
        }
    }
}
