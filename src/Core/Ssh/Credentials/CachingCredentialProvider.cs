using System.Collections.Concurrent;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// Caches another provider's credentials per user until shortly before they expire: a credential is reused while
/// more than <see cref="RenewBefore"/> (at most a quarter of its total lifetime) is left. Credentials without an
/// expiry are kept.
/// </summary>
public sealed class CachingCredentialProvider : ISshCredentialProvider
{
    private readonly ISshCredentialProvider _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public CachingCredentialProvider(ISshCredentialProvider inner, TimeProvider? time = null)
    {
        _inner = inner;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Renew when less than this is left (default 30 s).</summary>
    public TimeSpan RenewBefore { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public async Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        if (TryGetFresh(user.Username, out var cached)) return cached;
        var gate = _locks.GetOrAdd(user.Username, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryGetFresh(user.Username, out cached)) return cached;
            var obtainedAt = _time.GetUtcNow();
            var credential = await _inner.GetCredentialAsync(user, cancellationToken).ConfigureAwait(false);
            _cache[user.Username] = new Entry(credential, obtainedAt);
            return credential;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops the cached credential of <paramref name="username"/> (e.g. after it was refused).</summary>
    public void Invalidate(string username) => _cache.TryRemove(username, out _);

    private bool TryGetFresh(string username, out SshCredential credential)
    {
        credential = null!;
        if (!_cache.TryGetValue(username, out var entry)) return false;
        if (entry.Credential.ExpiresAt is { } expires)
        {
            var lifetime = expires - entry.ObtainedAt;
            var margin = lifetime > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(RenewBefore.Ticks, lifetime.Ticks / 4)) : TimeSpan.Zero;
            if (_time.GetUtcNow() >= expires - margin) return false;
        }
        credential = entry.Credential;
        return true;
    }

    private sealed record Entry(SshCredential Credential, DateTimeOffset ObtainedAt);
}
