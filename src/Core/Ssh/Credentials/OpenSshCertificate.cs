using System.Security.Cryptography;
using Renci.SshNet.Security;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>The fields of an OpenSSH user certificate to sign (PROTOCOL.certkeys).</summary>
/// <param name="Principals">Valid principals (user names).</param>
/// <param name="KeyId">Key id, logged by sshd.</param>
/// <param name="Serial">Serial number.</param>
/// <param name="ValidAfter">Start of validity.</param>
/// <param name="ValidBefore">End of validity.</param>
public sealed record UserCertificateRequest(IReadOnlyList<string> Principals, string KeyId, ulong Serial, DateTimeOffset ValidAfter, DateTimeOffset ValidBefore)
{
    /// <summary>Flag extensions granted (sorted as OpenSSH requires). Port forwarding is needed for jump hosts.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = ["permit-port-forwarding", "permit-pty", "permit-user-rc"];
}

/// <summary>Builds, signs and reads OpenSSH certificates for ed25519 user keys.</summary>
public static class OpenSshCertificate
{
    /// <summary>Certificate type name of ed25519 user keys.</summary>
    public const string Ed25519CertType = "ssh-ed25519-cert-v01@openssh.com";

    private const uint UserCertificate = 1;

    /// <summary>
    /// Builds the certificate blob for the ed25519 public key <paramref name="userPublicKey"/> (32 bytes) and signs
    /// it with <paramref name="ca"/>.
    /// </summary>
    public static byte[] SignEd25519UserCertificate(ReadOnlySpan<byte> userPublicKey, UserCertificateRequest request, SshCertificateAuthority ca)
    {
        if (userPublicKey.Length != 32) throw new ArgumentException("An ed25519 public key has 32 bytes.", nameof(userPublicKey));
        var principals = new SshWireWriter();
        foreach (var p in request.Principals) principals.String(p);
        var extensions = new SshWireWriter();
        foreach (var e in request.Extensions.Order(StringComparer.Ordinal)) extensions.String(e).String([]);
        var body = new SshWireWriter()
            .String(Ed25519CertType)
            .String(RandomNumberGenerator.GetBytes(32))
            .String(userPublicKey)
            .UInt64(request.Serial)
            .UInt32(UserCertificate)
            .String(request.KeyId)
            .String(principals.ToArray())
            .UInt64(ToUnix(request.ValidAfter))
            .UInt64(ToUnix(request.ValidBefore))
            .String([])
            .String(extensions.ToArray())
            .String([])
            .String(ca.PublicKeyBlob)
            .ToArray();
        var signature = ca.Sign(body);
        return new SshWireWriter().Raw(body).String(signature).ToArray();
    }

    /// <summary>Formats a certificate blob as an OpenSSH <c>-cert.pub</c> line.</summary>
    public static string ToLine(byte[] certificateBlob, string comment) =>
        $"{Ed25519CertType} {Convert.ToBase64String(certificateBlob)} {comment}";

    /// <summary>Parses a certificate line (<c>type base64 [comment]</c>) with SSH.NET; null when it is not one.</summary>
    public static Certificate? TryParse(string certificateLine)
    {
        var fields = certificateLine.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2) return null;
        try
        {
            return new Certificate(Convert.FromBase64String(fields[1]));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or Renci.SshNet.Common.SshException)
        {
            return null;
        }
    }

    /// <summary>The end of validity of a certificate line, or null when it cannot be read or is "forever".</summary>
    public static DateTimeOffset? TryReadValidBefore(string certificateLine)
    {
        var cert = TryParse(certificateLine);
        if (cert is null || cert.ValidBeforeUnixSeconds == ulong.MaxValue) return null;
        return cert.ValidBefore;
    }

    private static ulong ToUnix(DateTimeOffset t) => (ulong)Math.Max(0, t.ToUnixTimeSeconds());
}
