using System.Net.Sockets;
using System.Text;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh.Credentials;
using Firecrest.Core.Ssh.HostKeys;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Firecrest.Core.Ssh;

/// <summary>Opens one authenticated SSH connection for a user (optionally through a jump host) with host key checks.</summary>
internal static class SshConnector
{
    /// <summary>Connects as <paramref name="username"/> to the cluster's SSH host.</summary>
    /// <exception cref="HpcException">Refused host key, failed login or unreachable host (ConnectionFailed); connect timeout (Timeout).</exception>
    public static async Task<PooledConnection> ConnectAsync(SshSettings ssh, HostKeyVerifier verifier, string username, SshCredential credential,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var keyFile = LoadKey(username, credential);
        var auth = new PrivateKeyAuthenticationMethod(username, keyFile);
        SshClient? proxy = null;
        ForwardedPortLocal? forward = null;
        SshClient? client = null;
        try
        {
            string connectHost = ssh.Host;
            var connectPort = ssh.Port;
            if (!string.IsNullOrWhiteSpace(ssh.ProxyHost))
            {
                var proxyPort = ssh.ProxyPort ?? 22;
                proxy = CreateClient(ssh, ssh.ProxyHost, proxyPort, ssh.ProxyHost, proxyPort, username, auth, verifier, out var proxyRefusal);
                await ConnectClientAsync(proxy, ssh, ssh.ProxyHost, proxyPort, username, proxyRefusal, cancellationToken).ConfigureAwait(false);
                // SSH.NET has no direct-tcpip stream API; a local forward on a loopback port is its way to tunnel.
                forward = new ForwardedPortLocal(System.Net.IPAddress.Loopback.ToString(), 0, ssh.Host, (uint)ssh.Port);
                proxy.AddForwardedPort(forward);
                forward.Start();
                connectHost = forward.BoundHost;
                connectPort = (int)forward.BoundPort;
            }
            client = CreateClient(ssh, connectHost, connectPort, ssh.Host, ssh.Port, username, auth, verifier, out var refusal);
            await ConnectClientAsync(client, ssh, ssh.Host, ssh.Port, username, refusal, cancellationToken).ConfigureAwait(false);
            var connection = new PooledConnection(username, client, proxy, forward, ssh.MaxSessionsPerConnection, now);
            client.ErrorOccurred += (_, _) => connection.Broken = true;
            if (proxy is not null) proxy.ErrorOccurred += (_, _) => connection.Broken = true;
            return connection;
        }
        catch
        {
            client?.Dispose();
            forward?.Dispose();
            proxy?.Dispose();
            throw;
        }
    }

    private static PrivateKeyFile LoadKey(string username, SshCredential credential)
    {
        try
        {
            var key = new MemoryStream(Encoding.UTF8.GetBytes(credential.PrivateKey));
            if (credential.Certificate is null) return new PrivateKeyFile(key, credential.Passphrase);
            var cert = new MemoryStream(Encoding.UTF8.GetBytes(credential.Certificate));
            return new PrivateKeyFile(key, credential.Passphrase, cert);
        }
        catch (Exception e) when (e is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The SSH key for user '{username}' cannot be loaded: {e.Message}", e);
        }
    }

    private sealed class Refusal
    {
        public string? Reason;
    }

    private static SshClient CreateClient(SshSettings ssh, string connectHost, int connectPort, string verifyHost, int verifyPort, string username,
        AuthenticationMethod auth, HostKeyVerifier verifier, out Func<string?> refusal)
    {
        var info = new ConnectionInfo(connectHost, connectPort, username, auth)
        {
            Timeout = Seconds(ssh.Timeout.Login),
            MaxSessions = ssh.MaxSessionsPerConnection,
        };
        var client = new SshClient(info);
        var state = new Refusal();
        client.HostKeyReceived += (_, e) =>
        {
            var decision = verifier.Verify(verifyHost, verifyPort, e.HostKeyName, e.HostKey);
            e.CanTrust = decision.Trusted;
            if (!decision.Trusted) state.Reason = decision.Reason;
        };
        if (ssh.Timeout.KeepAlive > 0) client.KeepAliveInterval = Seconds(ssh.Timeout.KeepAlive);
        refusal = () => state.Reason;
        return client;
    }

    private static async Task ConnectClientAsync(SshClient client, SshSettings ssh, string host, int port, string username, Func<string?> refusal,
        CancellationToken cancellationToken)
    {
        var limit = Seconds(ssh.Timeout.Connection + ssh.Timeout.Login);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            // ConnectAsync is asynchronous for the TCP connect and version exchange; SSH.NET still waits synchronously
            // for key exchange and authentication inside it (bounded by ConnectionInfo.Timeout = login timeout).
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) when (refusal() is { } reason)
        {
            throw new HpcException(HpcErrorKind.ConnectionFailed, reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HpcException(HpcErrorKind.Timeout, $"SSH connection to {host}:{port} as '{username}' timed out after {limit.TotalSeconds:0.#} s.");
        }
        catch (SshOperationTimeoutException e)
        {
            throw new HpcException(HpcErrorKind.Timeout, $"SSH login to {host}:{port} as '{username}' timed out: {e.Message}", e);
        }
        catch (SshAuthenticationException e)
        {
            throw new HpcException(HpcErrorKind.ConnectionFailed, $"SSH authentication as '{username}' on {host}:{port} failed: {e.Message}", e) { CausedBy = [e.Message] };
        }
        catch (Exception e) when (e is SocketException or SshException or ProxyException or IOException)
        {
            throw new HpcException(HpcErrorKind.ConnectionFailed, $"SSH connection to {host}:{port} as '{username}' failed: {e.Message}", e) { CausedBy = [e.Message] };
        }
    }

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);
}
