using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Auth;

/// <summary>
/// Results of successful token validations, keyed by the exact token string. An entry is used only until the token's
/// expiry minus <c>min_token_ttl</c> and only while the JWKS key set is the one it was validated with; the cache is
/// bounded (when full, expired entries are dropped, then everything). A token that is not in the cache is validated in
/// full, so a tampered, foreign or expired token is never answered from it. Entries past their deadline are also
/// swept at most once a minute, so tokens that are never presented again do not stay until the cache is full.
/// </summary>
public sealed class ValidatedTokenCache
{
    /// <summary>Most tokens kept.</summary>
    public const int Capacity = 10_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private long _lastSweepTicks;

    /// <summary>An empty cache.</summary>
    public ValidatedTokenCache(TimeProvider time)
    {
        _time = time;
        _entries = new(StringComparer.Ordinal);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of entries (tests).</summary>
    public int Count => _entries.Count;

    /// <summary>The cached result of <paramref name="token"/> when it is still usable under <paramref name="keyGeneration"/>.</summary>
    public bool TryGet(string token, long keyGeneration, out TokenValidationResult result)
    {
        var entry = TryGetEntry(token, keyGeneration);
        result = entry?.Validation!;
        return entry is not null;
    }

    // Looked up by a view of the request's header: no copy of the token per request.
    private Entry? TryGetEntry(ReadOnlySpan<char> token, long keyGeneration)
    {
        if (!_bySpan.TryGetValue(token, out var key, out var entry)) return null;
        if (entry.KeyGeneration != keyGeneration || _time.GetUtcNow() >= entry.UsableUntil)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }
        return entry;
    }

    /// <summary>
    /// The principal of <paramref name="token"/> when its cached result is still usable under
    /// <paramref name="keyGeneration"/>: one read-only copy of the validated identity, shared by every request of the
    /// token (copying the claims for each request cost more than the rest of its authentication); adding or removing a
    /// claim on it throws.
    /// </summary>
    public ClaimsPrincipal? TryGetPrincipal(ReadOnlySpan<char> token, long keyGeneration) =>
        TryGetEntry(token, keyGeneration) is { } entry ? entry.Principal : null;

    /// <summary>Keeps <paramref name="result"/> of <paramref name="token"/> until <paramref name="usableUntil"/> (nothing when that has passed).</summary>
    public void Add(string token, TokenValidationResult result, DateTimeOffset usableUntil, long keyGeneration)
    {
        var now = _time.GetUtcNow();
        if (usableUntil <= now) return;
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (_entries.Count >= Capacity || (now.UtcTicks - last >= SweepInterval.Ticks && Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) == last))
        {
            Sweep(now, keyGeneration);
            if (_entries.Count >= Capacity) _entries.Clear();
        }
        _entries[token] = new Entry(result, usableUntil, keyGeneration);
    }

    // Drops the entries past their deadline or validated with another key set.
    private void Sweep(DateTimeOffset now, long keyGeneration)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.UsableUntil <= now || entry.KeyGeneration != keyGeneration)
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
    }

    /// <summary>Drops every entry.</summary>
    public void Clear() => _entries.Clear();

    // A class, not a record: an entry is removed only when it is still the very entry that was read (reference equality).
    private sealed class Entry(TokenValidationResult validation, DateTimeOffset usableUntil, long keyGeneration)
    {
        private ClaimsPrincipal? _principal;

        public TokenValidationResult Validation { get; } = validation;

        public DateTimeOffset UsableUntil { get; } = usableUntil;

        public long KeyGeneration { get; } = keyGeneration;

        // Built on the first hit, not when added: the first request of a token gets the bearer scheme's own principal.
        // Two hits racing may each build one; both are equal read-only copies, and the last one built is kept.
        public ClaimsPrincipal Principal => _principal ??= new ReadOnlyClaimsPrincipal(new ReadOnlyClaimsIdentity(Validation.ClaimsIdentity));
    }
}
