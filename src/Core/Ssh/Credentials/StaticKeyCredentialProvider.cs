using Firecrest.Core.Configuration;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary><c>SSHStaticKeys</c>: keys per user from the configuration (<c>ssh_credentials.keys</c>).</summary>
public sealed class StaticKeyCredentialProvider : ISshCredentialProvider
{
    private readonly IReadOnlyDictionary<string, StaticKeySettings> _keys;

    /// <summary>Creates the provider over <paramref name="keys"/> (user name → key).</summary>
    public StaticKeyCredentialProvider(IReadOnlyDictionary<string, StaticKeySettings> keys) => _keys = keys;

    /// <inheritdoc/>
    public Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        if (!_keys.TryGetValue(user.Username, out var key) || string.IsNullOrWhiteSpace(key.PrivateKey))
            throw new HpcException(HpcErrorKind.PermissionDenied, $"User '{user.Username}' has no SSH key configured on this server (ssh_credentials.keys) and cannot use this system.");
        var cert = string.IsNullOrWhiteSpace(key.PublicCert) ? null : key.PublicCert.Trim();
        var expires = cert is null ? null : OpenSshCertificate.TryReadValidBefore(cert);
        return Task.FromResult(new SshCredential(key.PrivateKey, string.IsNullOrEmpty(key.Passphrase) ? null : key.Passphrase, cert, expires));
    }
}
