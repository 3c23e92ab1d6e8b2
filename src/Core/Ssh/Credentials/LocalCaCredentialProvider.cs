using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// SSH CA inside the engine (<c>ssh_credentials.ca_private_key</c>): for each user a fresh ed25519 key pair is made
/// in memory and an OpenSSH user certificate (principal = user name, valid from one minute ago for
/// <c>certificate_lifetime</c> seconds, random serial) is signed with the configured CA key. No outside service.
/// </summary>
public sealed class LocalCaCredentialProvider : ISshCredentialProvider, IDisposable
{
    private readonly SshCertificateAuthority _ca;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly Func<byte[]>? _seeds;

    public LocalCaCredentialProvider(SshCertificateAuthority ca, TimeSpan lifetime, TimeProvider? time = null)
        : this(ca, lifetime, time, null)
    {
    }

    /// <summary>Draws key seeds from <paramref name="seeds"/> instead of the system's random generator.</summary>
    internal LocalCaCredentialProvider(SshCertificateAuthority ca, TimeSpan lifetime, TimeProvider? time, Func<byte[]>? seeds)
    {
        if (lifetime <= TimeSpan.Zero) throw new HpcException(HpcErrorKind.InvalidArgument, "ssh_credentials.certificate_lifetime must be positive.");
        _ca = ca;
        _lifetime = lifetime;
        _time = time ?? TimeProvider.System;
        _seeds = seeds;
    }

    /// <inheritdoc/>
    public Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var key = CertifiableEd25519Key.Create(_seeds);
        var now = _time.GetUtcNow();
        var notAfter = now + _lifetime;
        var serial = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));
        var keyId = $"firecrest:{user.Username}:{now.ToUnixTimeSeconds()}";
        var request = new UserCertificateRequest([user.Username], keyId, serial, now.AddMinutes(-1), notAfter);
        var cert = OpenSshCertificate.SignEd25519UserCertificate(key.PublicKey, request, _ca);
        return Task.FromResult(new SshCredential(key.ToOpenSshPrivateKey(keyId), null, OpenSshCertificate.ToLine(cert, keyId), notAfter));
    }

    /// <inheritdoc/>
    public void Dispose() => _ca.Dispose();
}
