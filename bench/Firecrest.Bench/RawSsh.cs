using Firecrest.Core.Ssh.HostKeys;
using Renci.SshNet;

namespace Firecrest.Bench;

/// <summary>Result of one raw exec.</summary>
public sealed record RawResult(int ExitStatus, string Stdout, string Stderr);

/// <summary>
/// The raw baseline: one SSH.NET connection of one user, host key checked against the cluster's known_hosts, at most
/// <c>channels</c> execs at once (the same budget the server's pool gets: max_sessions_per_connection).
/// </summary>
public sealed class RawSsh : IDisposable
{
    private readonly SshClient _client;
    private readonly SemaphoreSlim _channels;

    private RawSsh(SshClient client, int channels)
    {
        _client = client;
        _channels = new SemaphoreSlim(channels, channels);
    }

    /// <summary>The user.</summary>
    public string User => _client.ConnectionInfo.Username;

    /// <summary>Connects as <paramref name="user"/> with its key from cluster.env.</summary>
    public static async Task<RawSsh> ConnectAsync(ClusterEnv env, string user, int channels, CancellationToken cancellationToken)
    {
        var known = await KnownHostsFile.LoadAsync(env["SSH_KNOWN_HOSTS"], cancellationToken);
        var verifier = new HostKeyVerifier(known, [], insecureSkipVerification: false);
        var host = env["SSH_HOST"];
        var port = int.Parse(env["SSH_PORT"]);
        using var key = new PrivateKeyFile(env.KeyOf(user));
        var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, key)) { MaxSessions = channels };
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) => e.CanTrust = verifier.Verify(host, port, e.HostKeyName, e.HostKey).Trusted;
        await client.ConnectAsync(cancellationToken);
        return new RawSsh(client, channels);
    }

    /// <summary>
    /// Runs <paramref name="commandLine"/> and reads all its output. <paramref name="cancellationToken"/> ends the wait for
    /// a channel; with <paramref name="cancelRunning"/> false a command that already started is not cancelled: SSH.NET
    /// cancels one by sending a signal request, and one sent as the command ended reached sshd for a channel it had
    /// closed, which it answers by dropping the connection ("unknown channel"), the baseline's only one for that user.
    /// </summary>
    public async Task<RawResult> ExecAsync(string commandLine, CancellationToken cancellationToken, bool cancelRunning = true)
    {
        await _channels.WaitAsync(cancellationToken);
        try
        {
            using var cmd = _client.CreateCommand(commandLine);
            await cmd.ExecuteAsync(cancelRunning ? cancellationToken : CancellationToken.None);
            return new RawResult(cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
        }
        finally
        {
            _channels.Release();
        }
    }

    /// <summary>Runs <paramref name="commandLine"/> and throws unless it exits 0.</summary>
    public async Task<string> ExecOkAsync(string commandLine, CancellationToken cancellationToken)
    {
        var r = await ExecAsync(commandLine, cancellationToken);
        if (r.ExitStatus != 0) throw new InvalidOperationException($"'{commandLine}' as {User} exited {r.ExitStatus}: {r.Stderr.Trim()}");
        return r.Stdout;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _channels.Dispose();
    }
}
