namespace Firecrest.Core.Ssh.Credentials;

/// <summary>Key material with which the engine logs in as a user.</summary>
/// <param name="PrivateKey">Private key text (OpenSSH or PEM).</param>
/// <param name="Passphrase">Passphrase of the private key, or null.</param>
/// <param name="Certificate">OpenSSH certificate line for the key (<c>ssh-ed25519-cert-v01@openssh.com AAAA…</c>), or null.</param>
/// <param name="ExpiresAt">When the credential stops working (certificate end), or null when it does not expire.</param>
public sealed record SshCredential(string PrivateKey, string? Passphrase = null, string? Certificate = null, DateTimeOffset? ExpiresAt = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"SshCredential(certificate: {Certificate is not null}, expires: {ExpiresAt?.ToString("O") ?? "never"})";
}

/// <summary>Supplies SSH credentials for a user; asked only when a new connection is made.</summary>
public interface ISshCredentialProvider
{
    /// <summary>Returns a credential for <paramref name="user"/>.</summary>
    /// <exception cref="HpcException">No credential can be obtained.</exception>
    Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken);
}
