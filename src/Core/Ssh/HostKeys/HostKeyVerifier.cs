namespace Firecrest.Core.Ssh.HostKeys;

/// <summary>The outcome of a host key check.</summary>
/// <param name="Trusted">True when the key may be used.</param>
/// <param name="Reason">Why the key was accepted or refused (for logs and error messages).</param>
public sealed record HostKeyDecision(bool Trusted, string Reason);

/// <summary>
/// Decides whether a server's host key is trusted, from a known_hosts file and/or pinned SHA256 fingerprints.
/// A key is trusted when it matches any configured source and is not <c>@revoked</c>. With neither source and
/// without the insecure flag every key is refused (fail closed).
/// </summary>
public sealed class HostKeyVerifier
{
    private readonly KnownHostsFile? _knownHosts;
    private readonly HashSet<string> _pins;
    private readonly bool _insecureSkip;

    /// <param name="knownHosts">Parsed known_hosts, or null.</param>
    /// <param name="pinnedFingerprints">Pinned <c>SHA256:</c> fingerprints.</param>
    /// <param name="insecureSkipVerification">Accept every key (insecure; the caller logs a warning).</param>
    public HostKeyVerifier(KnownHostsFile? knownHosts, IEnumerable<string> pinnedFingerprints, bool insecureSkipVerification)
    {
        _knownHosts = knownHosts;
        _pins = new HashSet<string>(pinnedFingerprints.Select(HostKeyFingerprint.NormalizePin), StringComparer.Ordinal);
        _insecureSkip = insecureSkipVerification;
    }

    /// <summary>Checks the key <paramref name="keyBlob"/> of type <paramref name="keyType"/> presented by <paramref name="host"/>:<paramref name="port"/>.</summary>
    public HostKeyDecision Verify(string host, int port, string keyType, byte[] keyBlob)
    {
        var name = KnownHostPatterns.LookupName(host, port);
        var fingerprint = HostKeyFingerprint.Sha256(keyBlob);
        var entries = _knownHosts?.Entries.Where(e => e.Matches(host, port)).ToList() ?? [];
        if (entries.Any(e => e.Marker == KnownHostMarker.Revoked && e.KeyBlob.AsSpan().SequenceEqual(keyBlob)))
            return new(false, $"Host key verification failed for {name}: the {keyType} key {fingerprint} is marked @revoked in {_knownHosts!.Source}.");
        if (_insecureSkip)
            return new(true, $"Host key of {name} ({keyType} {fingerprint}) accepted WITHOUT verification (insecure_skip_host_key_verification).");
        if (_pins.Contains(fingerprint))
            return new(true, $"Host key of {name} ({keyType} {fingerprint}) matches a pinned fingerprint.");
        var match = entries.FirstOrDefault(e => e.Marker == KnownHostMarker.None && e.KeyBlob.AsSpan().SequenceEqual(keyBlob));
        if (match is not null)
            return new(true, $"Host key of {name} ({keyType} {fingerprint}) matches {_knownHosts!.Source} line {match.LineNumber}.");
        if (_knownHosts is null && _pins.Count == 0)
            return new(false, $"Host key verification failed for {name}: no known_hosts_file and no host_key_fingerprints are configured, so the {keyType} key {fingerprint} cannot be trusted. Configure one of them (or, insecurely, insecure_skip_host_key_verification).");
        if (entries.Any(e => e.Marker == KnownHostMarker.None))
            return new(false, $"Host key verification failed for {name}: the server presented {keyType} {fingerprint}, which does NOT match the key(s) recorded in {_knownHosts!.Source} (line(s) {string.Join(", ", entries.Where(e => e.Marker == KnownHostMarker.None).Select(e => e.LineNumber))}). The host key has changed or someone is intercepting the connection.");
        var sources = new List<string>();
        if (_knownHosts is not null) sources.Add($"no entry for {name} in {_knownHosts.Source}");
        if (_pins.Count > 0) sources.Add($"not among the {_pins.Count} pinned fingerprint(s)");
        return new(false, $"Host key verification failed for {name}: the {keyType} key {fingerprint} is unknown ({string.Join("; ", sources)}).");
    }
}
