using System.Collections.Concurrent;

namespace Firecrest.Core.Idempotency;

/// <summary>
/// The default <see cref="IIdempotencyStore"/>: keys live in this process for <see cref="Lifetime"/> (24 hours by
/// default) from their claim, measured on the given clock. Expired keys are swept at most once a minute.
/// </summary>
public sealed class InMemoryIdempotencyStore(TimeProvider time, TimeSpan? lifetime = null) : IIdempotencyStore
{
    /// <summary>How long a key is remembered when none is given.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IdempotencyKey, Entry> _entries = new();
    private long _lastSweepTicks;

    /// <summary>How long a key is remembered.</summary>
    public TimeSpan Lifetime { get; } = lifetime ?? DefaultLifetime;

    /// <summary>Keys currently held (expired ones included until the next sweep).</summary>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public async Task<IdempotencyClaim> ClaimAsync(IdempotencyKey key, string fingerprint, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Sweep();
            var mine = new Entry(fingerprint, time.GetUtcNow());
            var entry = _entries.GetOrAdd(key, mine);
            if (ReferenceEquals(entry, mine)) return new IdempotencyClaim(IdempotencyOutcome.Claimed);
            if (IsExpired(entry, mine.Created) && entry.Outcome.Task.IsCompleted)
            {
                if (_entries.TryUpdate(key, mine, entry)) return new IdempotencyClaim(IdempotencyOutcome.Claimed);
                continue;
            }
            if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal)) return new IdempotencyClaim(IdempotencyOutcome.Mismatch);
            var jobId = await entry.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (jobId is not null) return new IdempotencyClaim(IdempotencyOutcome.Completed, jobId);
            // The holder's submit failed and released the key: try to claim it.
        }
    }

    /// <inheritdoc/>
    public Task CompleteAsync(IdempotencyKey key, string jobId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var entry)) entry.Outcome.TrySetResult(jobId);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var entry) && _entries.TryRemove(new KeyValuePair<IdempotencyKey, Entry>(key, entry)))
            entry.Outcome.TrySetResult(null);
        return Task.CompletedTask;
    }

    private bool IsExpired(Entry entry, DateTimeOffset now) => now - entry.Created >= Lifetime;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last) return;
        foreach (var (k, e) in _entries)
        {
            // A claim still submitting is kept (also when old): its holder completes it and its waiters learn the outcome.
            if (IsExpired(e, now) && e.Outcome.Task.IsCompleted) _entries.TryRemove(new KeyValuePair<IdempotencyKey, Entry>(k, e));
        }
    }

    private sealed class Entry(string fingerprint, DateTimeOffset created)
    {
        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset Created { get; } = created;

        /// <summary>The job id once submitted; null when the submit failed and the key was released.</summary>
        public TaskCompletionSource<string?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
