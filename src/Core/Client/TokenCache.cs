namespace Firecrest.Core.Client;

/// <summary>
/// One cached bearer token shared by concurrent callers: used while the clock is before its "use until" time, and
/// fetched again by exactly one caller at a time otherwise. The token providers differ only in how they fetch.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Entry? _entry;

    /// <summary>The cached token, or a new one from <paramref name="fetch"/> (given the time the fetch started).</summary>
    public async Task<string> GetAsync(Func<DateTimeOffset, CancellationToken, Task<(string Token, DateTimeOffset UseUntil)>> fetch,
        CancellationToken cancellationToken)
    {
        if (Fresh() is { } token) return token;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } again) return again;
            var (fresh, useUntil) = await fetch(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _entry = new Entry(fresh, useUntil);
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets the cached token.</summary>
    public void Invalidate() => _entry = null;

    private string? Fresh() => _entry is { } e && time.GetUtcNow() < e.UseUntil ? e.Token : null;

    private sealed record Entry(string Token, DateTimeOffset UseUntil);
}
