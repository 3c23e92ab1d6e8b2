using System.Security.Cryptography;
using Renci.SshNet.Security;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// A fresh ed25519 key pair for a user certificate; <see cref="Dispose"/> zeroes the private seed.
/// SSH.NET refuses to load a certificate for a key whose public key starts with 0xFF and then a byte of 0x80 or more
/// ("The supplied certificate does not certify the supplied key"): one key in 512, every one of them in 200,000 draws.
/// Such a key is drawn again, so a signed certificate always loads.
/// </summary>
internal sealed class CertifiableEd25519Key : IDisposable
{
    private CertifiableEd25519Key(byte[] seed, byte[] publicKey)
    {
        Seed = seed;
        PublicKey = publicKey;
    }

    /// <summary>The 32-byte private seed.</summary>
    public byte[] Seed { get; }

    /// <summary>The 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Draws seeds from <paramref name="seeds"/> (by default the system's random generator) until one gives a key SSH.NET can pair with a certificate.</summary>
    public static CertifiableEd25519Key Create(Func<byte[]>? seeds = null)
    {
        seeds ??= static () => RandomNumberGenerator.GetBytes(32);
        while (true)
        {
            var seed = seeds();
            using var key = new ED25519Key(seed);
            if (SshNetCanCertify(key.PublicKey)) return new CertifiableEd25519Key(seed, key.PublicKey);
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>False for the public keys whose certificate SSH.NET refuses to load.</summary>
    public static bool SshNetCanCertify(ReadOnlySpan<byte> publicKey) => !(publicKey[0] == 0xFF && publicKey[1] >= 0x80);

    /// <summary>The private key in the <c>openssh-key-v1</c> format.</summary>
    public string ToOpenSshPrivateKey(string comment) => OpenSshPrivateKeyWriter.WriteEd25519(Seed, PublicKey, comment);

    /// <summary>The public key as an OpenSSH line without comment.</summary>
    public string PublicKeyLine => $"ssh-ed25519 {Convert.ToBase64String(OpenSshPrivateKeyWriter.Ed25519PublicKeyBlob(PublicKey))}";

    /// <inheritdoc/>
    public void Dispose() => CryptographicOperations.ZeroMemory(Seed);
}
