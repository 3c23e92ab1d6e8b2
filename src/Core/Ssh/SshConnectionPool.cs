using System.Collections.Concurrent;
using System.Diagnostics;
using Firecrest.Core.Diagnostics;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh.Credentials;
using Firecrest.Core.Ssh.HostKeys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Firecrest.Core.Ssh;

/// <summary>
/// The engine's SSH layer: per system one connection per user, reused by every command of that user. Each command
/// opens a channel; at most <c>max_sessions_per_connection</c> run at once per connection and the rest queue. New
/// connections are refused beyond <c>max_clients</c> (after pruning idle ones); idle connections are closed after
/// <c>idle_timeout</c>; dead ones are replaced on next use. Host keys are verified (fail closed).
/// </summary>
public sealed class SshConnectionPool : IRemoteShell, IAsyncDisposable
{
    private readonly ISshCredentialProvider _credentials;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SystemPool> _systems;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _pruneLoop;

    /// <summary>Creates the pool for the clusters of <paramref name="settings"/>.</summary>
    /// <exception cref="HpcException">Invalid SSH settings (<see cref="HpcErrorKind.InvalidArgument"/>).</exception>
    public SshConnectionPool(FirecrestSettings settings, ISshCredentialProvider credentials, ILogger<SshConnectionPool>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _systems = new Dictionary<string, SystemPool>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in settings.Clusters)
        {
            Validate(cluster);
            _systems[cluster.Name] = new SystemPool(cluster);
            if (cluster.Ssh.InsecureSkipHostKeyVerification)
                _logger.LogWarning("INSECURE: SSH host key verification is DISABLED for system '{System}' ({Host}:{Port}) by insecure_skip_host_key_verification. " +
                    "Connections can be intercepted (man-in-the-middle). Configure known_hosts_file or host_key_fingerprints instead.",
                    cluster.Name, cluster.Ssh.Host, cluster.Ssh.Port);
        }
        PruneInterval = _systems.Count == 0 ? TimeSpan.FromSeconds(5)
            : TimeSpan.FromSeconds(Math.Clamp(_systems.Values.Min(s => s.Settings.Ssh.Timeout.IdleTimeout) / 4, 0.2, 5));
        _pruneLoop = PruneLoopAsync(_disposing.Token);
        SshTelemetry.Register(this);
    }

    /// <summary>The command line of a reused shell's channel (tests replace it to play a server that runs no shell).</summary>
    internal string ShellCommandLine { get; init; } = ShellSession.DefaultCommandLine;

    /// <summary>How often idle and dead connections are looked for.</summary>
    public TimeSpan PruneInterval { get; }

    /// <inheritdoc/>
    public async Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(command);
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        if (string.IsNullOrEmpty(user.Username))
            throw new HpcException(HpcErrorKind.InvalidArgument, "The SSH user name is empty.");
        var pool = GetSystem(system);
        var line = RemoteCommandLine.Build(command);
        var timeout = command.Timeout ?? TimeSpan.FromSeconds(pool.Settings.Ssh.Timeout.CommandExecution);
        if (timeout <= TimeSpan.Zero) throw new HpcException(HpcErrorKind.InvalidArgument, "The command timeout must be positive.");
        var limit = command.OutputLimit ?? pool.Settings.DataOperation.MaxOpsFileSize;
        var program = SshTelemetry.ProgramOf(command.CommandLine);
        using var span = SshTelemetry.StartCommand(pool.Settings.Name, user.Username, program);
        try
        {
            return await RunPooledAsync(pool, user, command, line, timeout, limit, program, span, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            span.Fail(e);
            throw;
        }
    }

    /// <summary>Runs the command on the user's connection; an idempotent command is retried once on a new connection after a loss.</summary>
    private async Task<RemoteCommandResult> RunPooledAsync(SystemPool pool, UserIdentity user, RemoteCommand command, string line, TimeSpan timeout,
        long limit, string program, Activity? span, CancellationToken cancellationToken)
    {
        var queued = Stopwatch.GetTimestamp();
        var retried = false;
        var staleSkips = 0;
        while (true)
        {
            var connection = await AcquireAsync(pool, user, cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.Channels.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!connection.IsAlive && staleSkips++ < 3)
                    {
                        // Died while we queued: the command has not started, so any command may go to a new connection.
                        Discard(pool, connection, "found dead before use", failed: true);
                        continue;
                    }
                    SshTelemetry.RecordQueueWait(pool.Settings.Name, Stopwatch.GetElapsedTime(queued));
                    connection.EnterChannel();
                    var started = Stopwatch.GetTimestamp();
                    var outcome = "error";
                    try
                    {
                        var result = command.Stdin is null && pool.Settings.Ssh.ReuseShells && !connection.ShellsUnavailable
                            ? await RunInShellAsync(pool, connection, line, timeout, limit, command.StdoutReader, cancellationToken).ConfigureAwait(false)
                            : await RunExecAsync(connection, line, command.Stdin, timeout, limit, command.StdoutReader, cancellationToken).ConfigureAwait(false);
                        outcome = result.ExitStatus == 0 ? "ok" : "exit_nonzero";
                        span?.SetTag("process.exit.code", result.ExitStatus);
                        return result;
                    }
                    catch (Exception e)
                    {
                        outcome = e is HpcException { Kind: HpcErrorKind.Timeout } ? "timeout" : e is OperationCanceledException ? "cancelled" : "error";
                        throw;
                    }
                    finally
                    {
                        connection.ExitChannel();
                        SshTelemetry.RecordCommand(pool.Settings.Name, program, outcome, Stopwatch.GetElapsedTime(started));
                    }
                }
                finally
                {
                    connection.Channels.Release();
                }
            }
            catch (Exception e) when (e is SshConnectionLostException or ShellSessionLostException)
            {
                // A shell that ended on a live connection is replaced by a new shell; a lost connection by a new connection.
                var shellOnly = e is ShellSessionLostException && connection.IsAlive;
                if (!shellOnly) Discard(pool, connection, e.Message, failed: true);
                var lost = shellOnly ? $"The shell on system '{pool.Settings.Name}' ended" : $"SSH connection to system '{pool.Settings.Name}' lost";
                if ((command.Idempotent || e is ShellSessionLostException { NotStarted: true }) && !retried)
                {
                    retried = true;
                    queued = Stopwatch.GetTimestamp();
                    span?.AddEvent(new ActivityEvent(shellOnly ? "shell lost; retrying in a new shell" : "connection lost; retrying on a new connection"));
                    _logger.LogInformation("{Lost} for {User} ({Reason}); retrying the command once.", lost, user.Username, e.Message);
                    continue;
                }
                throw new HpcException(HpcErrorKind.ConnectionFailed,
                    command.Idempotent
                        ? $"{lost} twice while the command ran: {e.Message}"
                        : $"{lost}; the command is not idempotent and was not retried (it may or may not have run): {e.Message}",
                    e.InnerException) { CausedBy = [e.Message] };
            }
            finally
            {
                connection.Release(_time.GetUtcNow());
            }
        }
    }

    private static async Task<RemoteCommandResult> RunExecAsync(PooledConnection connection, string line, string? stdin, TimeSpan timeout, long limit,
        OutputReader? stdoutReader, CancellationToken cancellationToken)
    {
        connection.ExecOpening();
        try
        {
            return await SshCommandExecutor.RunAsync(connection.Client, line, stdin, timeout, limit, stdoutReader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.ExecClosed();
        }
    }

    /// <summary>Runs the command in an idle reused shell of the connection, or in a new one; exec when the server runs none.</summary>
    private async Task<RemoteCommandResult> RunInShellAsync(SystemPool pool, PooledConnection connection, string line, TimeSpan timeout, long limit,
        OutputReader? stdoutReader, CancellationToken cancellationToken)
    {
        var shell = connection.TakeIdleShell();
        if (shell is null)
        {
            connection.ShellOpening();
            try
            {
                shell = await ShellSession.StartAsync(connection.Client, ShellCommandLine, TimeSpan.FromSeconds(pool.Settings.Ssh.Timeout.Connection), cancellationToken).ConfigureAwait(false);
            }
            catch (ShellSessionUnavailableException e)
            {
                connection.ShellClosed();
                connection.ShellsUnavailable = true;
                _logger.LogWarning("System {System} did not run a reused shell for {User} ({Reason}); this connection sends one exec request per command.",
                    pool.Settings.Name, connection.Username, e.Message);
                return await RunExecAsync(connection, line, null, timeout, limit, stdoutReader, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.ShellClosed();
                throw;
            }
        }
        RemoteCommandResult result;
        try
        {
            result = await shell.RunAsync(line, timeout, limit, stdoutReader, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.ShellClosed();
            shell.Dispose();
            throw;
        }
        connection.ReturnShell(shell);
        return result;
    }

    /// <summary>Open connections, channels in use and reconnects of each system (read by the metrics collector).</summary>
    internal IEnumerable<SshPoolStatistics> Statistics() => _systems.Values.Select(p =>
    {
        var open = p.Users.Values.Select(s => s.Current).Where(c => c is { IsRetired: false }).ToList();
        return new SshPoolStatistics(p.Settings.Name, open.Count, open.Sum(c => c!.InFlight), Interlocked.Read(ref p.Reconnects));
    });

    /// <summary>Number of open pooled connections of <paramref name="system"/>.</summary>
    internal int OpenConnectionCount(string system) => GetSystem(system).Users.Values.Count(s => s.Current is { IsRetired: false });

    /// <summary>The pooled connection of a user, if any (tests and diagnostics).</summary>
    internal PooledConnection? ConnectionOf(string system, string username) =>
        GetSystem(system).Users.TryGetValue(username, out var slot) ? slot.Current : null;

    /// <summary>Closes idle and dead connections now (the timer does this every <see cref="PruneInterval"/>).</summary>
    internal void PruneNow()
    {
        var now = _time.GetUtcNow();
        foreach (var pool in _systems.Values)
        {
            var idle = TimeSpan.FromSeconds(pool.Settings.Ssh.Timeout.IdleTimeout);
            foreach (var slot in pool.Users.Values)
            {
                if (slot.Current is not { } c) continue;
                if (!c.IsAlive) Discard(pool, c, "dead", failed: true);
                else if (c.TryRetireIfIdle(now, idle)) Discard(pool, c, $"idle for more than {idle.TotalSeconds:0.#} s");
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested) return;
        await _disposing.CancelAsync().ConfigureAwait(false);
        SshTelemetry.Unregister(this);
        try
        {
            await _pruneLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var pool in _systems.Values)
            foreach (var slot in pool.Users.Values)
                if (slot.Current is { } c) c.Dispose();
        _disposing.Dispose();
    }

    private async Task<PooledConnection> AcquireAsync(SystemPool pool, UserIdentity user, CancellationToken cancellationToken)
    {
        var slot = pool.Users.GetOrAdd(user.Username, _ => new UserSlot());
        if (slot.Current is { } existing && existing.IsAlive && existing.TryAcquire(_time.GetUtcNow())) return existing;
        await slot.CreateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Current is { } current)
            {
                if (current.IsAlive && current.TryAcquire(_time.GetUtcNow())) return current;
                Discard(pool, current, "dead or retired", failed: !current.IsAlive);
            }
            EnsureCapacity(pool);
            var credential = await _credentials.GetCredentialAsync(user, cancellationToken).ConfigureAwait(false);
            var verifier = await pool.CreateVerifierAsync(cancellationToken).ConfigureAwait(false);
            PooledConnection connection;
            try
            {
                connection = await SshConnector.ConnectAsync(pool.Settings.Ssh, verifier, user.Username, credential, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (HpcException e) when (e.Kind == HpcErrorKind.ConnectionFailed && _credentials is CachingCredentialProvider cache)
            {
                cache.Invalidate(user.Username);
                throw;
            }
            connection.TryAcquire(_time.GetUtcNow());
            slot.Current = connection;
            if (slot.Lost)
            {
                slot.Lost = false;
                Interlocked.Increment(ref pool.Reconnects);
            }
            _logger.LogDebug("SSH connection opened for {User} on {System}.", user.Username, pool.Settings.Name);
            return connection;
        }
        finally
        {
            slot.CreateLock.Release();
        }
    }

    private void EnsureCapacity(SystemPool pool)
    {
        var open = pool.Users.Values.Where(s => s.Current is { IsRetired: false }).Select(s => s.Current!).ToList();
        if (open.Count < pool.Settings.Ssh.MaxClients) return;
        var now = _time.GetUtcNow();
        foreach (var candidate in open.OrderBy(c => c.LastUsed))
        {
            if (!candidate.IsAlive || candidate.TryRetireIfIdle(now, TimeSpan.Zero))
            {
                Discard(pool, candidate, "pool full; least recently used idle connection closed", failed: false);
                return;
            }
        }
        throw new HpcException(HpcErrorKind.ConnectionFailed, "SSH connection pool capacity exceeded");
    }

    /// <summary>Closes a connection; when <paramref name="failed"/> (lost or found dead, not idle or evicted) the user's next connection counts as a reconnect.</summary>
    private void Discard(SystemPool pool, PooledConnection connection, string reason, bool failed = false)
    {
        connection.Retire();
        if (pool.Users.TryGetValue(connection.Username, out var slot)
            && Interlocked.CompareExchange(ref slot.Current, null, connection) == connection && failed)
            slot.Lost = true;
        _logger.LogDebug("SSH connection of {User} on {System} closed: {Reason}.", connection.Username, pool.Settings.Name, reason);
        connection.Dispose();
    }

    private SystemPool GetSystem(string system) =>
        _systems.TryGetValue(system ?? "", out var pool) ? pool : throw new HpcException(HpcErrorKind.NotFound, "System not found");

    private async Task PruneLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PruneInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                PruneNow();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Pruning SSH connections failed.");
            }
        }
    }

    private static void Validate(ClusterSettings cluster)
    {
        var ssh = cluster.Ssh;
        var where = $"clusters[{cluster.Name}].ssh";
        if (ssh.MaxSessionsPerConnection < 1)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"{where}.max_sessions_per_connection must be at least 1 (and not above the server's MaxSessions, 10 by default).");
        if (ssh.MaxClients < 1)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"{where}.max_clients must be at least 1.");
        if (ssh.Timeout.IdleTimeout <= ssh.Timeout.CommandExecution)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"{where}.timeout.idle_timeout ({ssh.Timeout.IdleTimeout}) must be greater than command_execution ({ssh.Timeout.CommandExecution}).");
        if (ssh.Timeout.Connection <= 0 || ssh.Timeout.Login <= 0 || ssh.Timeout.CommandExecution <= 0)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"{where}.timeout values must be positive.");
        foreach (var pin in ssh.HostKeyFingerprints) HostKeyFingerprint.NormalizePin(pin);
    }

    private sealed class UserSlot
    {
        public readonly SemaphoreSlim CreateLock = new(1, 1);
        public PooledConnection? Current;

        /// <summary>The last connection was lost or died; the next one opened is a reconnect.</summary>
        public volatile bool Lost;
    }

    private sealed class SystemPool(ClusterSettings settings)
    {
        public ClusterSettings Settings { get; } = settings;

        public ConcurrentDictionary<string, UserSlot> Users { get; } = new(StringComparer.Ordinal);

        /// <summary>Connections opened to replace a lost or dead one.</summary>
        public long Reconnects;

        /// <summary>Reads known_hosts afresh for each new connection, so edits apply without a restart.</summary>
        public async Task<HostKeyVerifier> CreateVerifierAsync(CancellationToken cancellationToken)
        {
            var ssh = Settings.Ssh;
            var knownHosts = string.IsNullOrWhiteSpace(ssh.KnownHostsFile)
                ? null
                : await KnownHostsFile.LoadAsync(ssh.KnownHostsFile, cancellationToken).ConfigureAwait(false);
            return new HostKeyVerifier(knownHosts, ssh.HostKeyFingerprints, ssh.InsecureSkipHostKeyVerification);
        }
    }
}
