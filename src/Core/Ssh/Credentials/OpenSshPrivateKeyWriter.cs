using System.Security.Cryptography;
using System.Text;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>Writes an unencrypted ed25519 private key in the <c>openssh-key-v1</c> format (what <c>ssh-keygen</c> writes).</summary>
public static class OpenSshPrivateKeyWriter
{
    /// <summary>Encodes the key with 32-byte <paramref name="seed"/> and 32-byte <paramref name="publicKey"/>.</summary>
    public static string WriteEd25519(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, string comment)
    {
        var publicBlob = Ed25519PublicKeyBlob(publicKey);
        var check = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var secret = new byte[64];
        seed.CopyTo(secret);
        publicKey.CopyTo(secret.AsSpan(32));
        var priv = new SshWireWriter().UInt32(check).UInt32(check).String("ssh-ed25519").String(publicKey).String(secret).String(comment);
        var privBytes = priv.ToArray();
        var padded = new SshWireWriter().Raw(privBytes);
        for (byte pad = 1; (privBytes.Length + pad - 1) % 8 != 0; pad++) padded.Raw([pad]);
        CryptographicOperations.ZeroMemory(secret);
        var blob = new SshWireWriter()
            .Raw(Encoding.ASCII.GetBytes("openssh-key-v1\0"))
            .String("none").String("none").String([])
            .UInt32(1)
            .String(publicBlob)
            .String(padded.ToArray())
            .ToArray();
        var b64 = Convert.ToBase64String(blob);
        var sb = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (var i = 0; i < b64.Length; i += 70) sb.Append(b64, i, Math.Min(70, b64.Length - i)).Append('\n');
        return sb.Append("-----END OPENSSH PRIVATE KEY-----\n").ToString();
    }

    /// <summary>The public key blob <c>string "ssh-ed25519", string key</c>.</summary>
    public static byte[] Ed25519PublicKeyBlob(ReadOnlySpan<byte> publicKey) => new SshWireWriter().String("ssh-ed25519").String(publicKey).ToArray();
}
