using System.Security.Cryptography;

namespace Firecrest.Core.Ssh.HostKeys;

public static class HostKeyFingerprint
{
    /// <summary><c>SHA256:</c> followed by the unpadded base64 SHA-256 of the key blob, as <c>ssh-keygen -l</c> prints it.</summary>
    public static string Sha256(ReadOnlySpan<byte> keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>Normalises a configured pin: trims, requires the <c>SHA256:</c> prefix and drops base64 padding.</summary>
    /// <exception cref="HpcException">The pin is not a SHA256 fingerprint (<see cref="HpcErrorKind.InvalidArgument"/>).</exception>
    public static string NormalizePin(string pin)
    {
        var p = pin.Trim();
        if (!p.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase) || p.Length <= 7)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Host key fingerprint '{pin}' must look like 'SHA256:<base64>' (as printed by ssh-keygen -l).");
        return "SHA256:" + p[7..].TrimEnd('=');
    }
}
