using System.Collections.Concurrent;

namespace Firecrest.Server.Apis;

/// <summary>
/// Remembers job submits by (user, Idempotency-Key) for 24 hours: a repeated key returns the first job id and never
/// submits twice, also when the duplicates arrive at the same time. A failed submit is forgotten so it can be retried.
/// </summary>
public sealed class IdempotencyStore(TimeProvider time)
{
    /// <summary>Longest accepted key.</summary>
    public const int MaxKeyLength = 255;

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private readonly ConcurrentDictionary<(string User, string Key), Entry> _entries = new();
    private long _lastSweepTicks;

    /// <summary>Runs <paramref name="submit"/> once per (user, key) and returns its job id to every caller.</summary>
    public async Task<string> SubmitOnceAsync(string user, string key, Func<Task<string>> submit)
    {
        Sweep();
        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate((user, key),
            _ => new Entry(new Lazy<Task<string>>(submit), now),
            (_, old) => now - old.Created > Lifetime ? new Entry(new Lazy<Task<string>>(submit), now) : old);
        try
        {
            return await entry.Job.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>((user, key), entry));
            throw;
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        var last = new DateTimeOffset(Interlocked.Read(ref _lastSweepTicks), TimeSpan.Zero);
        if (now - last < TimeSpan.FromMinutes(1)) return;
        Interlocked.Exchange(ref _lastSweepTicks, now.UtcTicks);
        foreach (var (k, e) in _entries)
            if (now - e.Created > Lifetime) _entries.TryRemove(new KeyValuePair<(string, string), Entry>(k, e));
    }

    private sealed record Entry(Lazy<Task<string>> Job, DateTimeOffset Created);
}
