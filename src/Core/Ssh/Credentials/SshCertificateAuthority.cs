using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// A CA private key (ed25519, ECDSA or RSA, OpenSSH or PEM format) that signs certificates. Signing uses SSH.NET's
/// public <see cref="KeyHostAlgorithm"/>; RSA signs with rsa-sha2-512 (OpenSSH refuses SHA-1 <c>ssh-rsa</c> CA signatures).
/// </summary>
public sealed class SshCertificateAuthority : IDisposable
{
    private readonly PrivateKeyFile _keyFile;
    private readonly KeyHostAlgorithm _algorithm;

    private SshCertificateAuthority(PrivateKeyFile keyFile)
    {
        _keyFile = keyFile;
        var algorithms = keyFile.HostKeyAlgorithms.OfType<KeyHostAlgorithm>().ToList();
        _algorithm = algorithms.FirstOrDefault(a => a.Name == "rsa-sha2-512")
            ?? algorithms.FirstOrDefault(a => a.Name != "ssh-rsa")
            ?? throw new HpcException(HpcErrorKind.Internal, "The SSH CA key type cannot sign certificates.");
        PublicKeyBlob = _algorithm.Data;
    }

    /// <summary>The CA public key blob (the certificate's signature key).</summary>
    public byte[] PublicKeyBlob { get; }

    /// <summary>The signature algorithm used, e.g. <c>ssh-ed25519</c>.</summary>
    public string SignatureAlgorithm => _algorithm.Name;

    /// <summary>Loads a CA key from key text (<c>-----BEGIN …</c>) or, otherwise, from a file path.</summary>
    /// <exception cref="HpcException">The key cannot be read (<see cref="HpcErrorKind.Internal"/>).</exception>
    public static SshCertificateAuthority Load(string keyTextOrPath, string? passphrase = null)
    {
        try
        {
            var text = keyTextOrPath.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? keyTextOrPath : File.ReadAllText(keyTextOrPath);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            return new SshCertificateAuthority(new PrivateKeyFile(stream, passphrase));
        }
        catch (Exception e) when (e is not HpcException)
        {
            throw new HpcException(HpcErrorKind.Internal, $"Cannot load the SSH CA private key (ssh_credentials.ca_private_key): {e.Message}", e);
        }
    }

    /// <summary>Signs <paramref name="data"/>; returns the SSH signature blob (<c>string alg, string sig</c>).</summary>
    public byte[] Sign(byte[] data) => _algorithm.Sign(data);

    /// <summary>The CA public key as an OpenSSH line (for TrustedUserCAKeys).</summary>
    public string PublicKeyLine => $"{Encoding.ASCII.GetString(ReadType(PublicKeyBlob))} {Convert.ToBase64String(PublicKeyBlob)}";

    private static byte[] ReadType(byte[] blob) => new SshWireReader(blob).Bytes().ToArray();

    /// <inheritdoc/>
    public void Dispose() => _keyFile.Dispose();
}
