using System.Collections.Concurrent;
using Firecrest.Core;
using Firecrest.Core.Ssh;
using Renci.SshNet;

namespace Firecrest.Tests.Support;

/// <summary>
/// A plain SSH.NET <see cref="IRemoteShell"/> for integration tests of parsers and command builders against the real
/// local sshd: one connection per user with the user's key from cluster.env, host key checked against its known_hosts.
/// The engine's pool (Firecrest.Core.Ssh) is what production uses; this only keeps area tests independent of it.
/// </summary>
public sealed class DirectSshShell : IRemoteShell, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SshClient>>> _clients = new();
    private readonly TestCluster _cluster = TestCluster.Current;

    /// <inheritdoc/>
    public async Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(user.Username);
        var line = RemoteCommandLine.Build(command);
        using var cmd = client.CreateCommand(line);
        cmd.CommandTimeout = command.Timeout ?? TimeSpan.FromSeconds(30);
        var run = cmd.ExecuteAsync(cancellationToken);
        if (command.Stdin is not null)
        {
            using (var input = cmd.CreateInputStream())
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(command.Stdin);
                await input.WriteAsync(bytes, cancellationToken);
            }
        }
        await run;
        return new RemoteCommandResult(cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
    }

    // A connection that failed to open, or was dropped since, is not kept: the next command of that user connects again
    // instead of failing every later test that shares this shell.
    private async Task<SshClient> ClientAsync(string user)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lazy = _clients.GetOrAdd(user, u => new Lazy<Task<SshClient>>(() => ConnectAsync(u)));
            Exception? error = null;
            try
            {
                if (await lazy.Value is { IsConnected: true } client) return client;
            }
            catch (Exception e)
            {
                error = e;
            }
            if (_clients.TryRemove(KeyValuePair.Create(user, lazy)) && error is null) lazy.Value.Result.Dispose();
            if (attempt == 3)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error ?? new InvalidOperationException($"The SSH connection of {user} kept dropping."));
        }
    }

    private async Task<SshClient> ConnectAsync(string user)
    {
        var keyPath = user switch
        {
            "fireuser" => _cluster["SSH_KEY_FIREUSER"],
            "fireuser2" => _cluster["SSH_KEY_FIREUSER2"],
            _ => throw new ArgumentException($"no test key for user {user}"),
        };
        var info = new ConnectionInfo(_cluster.SshHost, _cluster.SshPort, user, new PrivateKeyAuthenticationMethod(user, new PrivateKeyFile(keyPath)))
        {
            Timeout = TimeSpan.FromSeconds(10),
            MaxSessions = 10,
        };
        var client = new SshClient(info);
        var known = File.ReadAllLines(_cluster["SSH_KNOWN_HOSTS"]);
        client.HostKeyReceived += (_, e) =>
            e.CanTrust = known.Any(l => l.Split(' ') is { Length: >= 3 } p && p[1] == e.HostKeyName && p[2] == Convert.ToBase64String(e.HostKey));
        await client.ConnectAsync(CancellationToken.None);
        return client;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var c in _clients.Values)
            if (c.IsValueCreated && c.Value.IsCompletedSuccessfully) c.Value.Result.Dispose();
    }
}
