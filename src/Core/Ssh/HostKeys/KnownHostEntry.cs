namespace Firecrest.Core.Ssh.HostKeys;

/// <summary>Marker at the start of a known_hosts line.</summary>
public enum KnownHostMarker
{
    /// <summary>A plain host key.</summary>
    None,

    /// <summary><c>@revoked</c>: this key must never be accepted.</summary>
    Revoked,

    /// <summary><c>@cert-authority</c>: a CA for host certificates (not used to accept plain keys).</summary>
    CertAuthority,
}

/// <summary>One line of a known_hosts file: host patterns (plain or hashed), key type and key blob.</summary>
/// <param name="Marker">Line marker.</param>
/// <param name="HostPatterns">The comma-separated host field as written (may be a hashed <c>|1|salt|hash</c> entry).</param>
/// <param name="KeyType">Key type as written, e.g. <c>ssh-ed25519</c>.</param>
/// <param name="KeyBlob">The decoded public key blob.</param>
/// <param name="LineNumber">1-based line number, for messages.</param>
public sealed record KnownHostEntry(KnownHostMarker Marker, string HostPatterns, string KeyType, byte[] KeyBlob, int LineNumber)
{
    /// <summary>True when this line names <paramref name="host"/> on <paramref name="port"/>.</summary>
    public bool Matches(string host, int port) => KnownHostPatterns.Matches(HostPatterns, host, port);
}
