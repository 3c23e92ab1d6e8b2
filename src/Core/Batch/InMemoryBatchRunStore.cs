namespace Firecrest.Core.Batch;

/// <summary>
/// The default <see cref="IBatchRunStore"/>: runs live in this process (lost on restart, not shared between replicas).
/// Finished runs are evicted <see cref="BatchRunStoreOptions.KeepFinished"/> after they ended, measured on the given clock.
/// </summary>
public sealed class InMemoryBatchRunStore(TimeProvider time, BatchRunStoreOptions? options = null) : IBatchRunStore
{
    private readonly BatchRunStoreOptions _options = options ?? new BatchRunStoreOptions();
    private readonly Dictionary<string, BatchRun> _runs = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <summary>Runs held now (after evicting the expired ones).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                Evict();
                return _runs.Count;
            }
        }
    }

    /// <inheritdoc/>
    public Task AddAsync(BatchRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            Evict();
            var active = _runs.Values.Count(r => r.Owner == run.Owner && r.FinishedAt is null && r.RunId != run.RunId);
            if (run.FinishedAt is null && active >= _options.MaxRunsPerUser)
                throw new HpcException(HpcErrorKind.RateLimited,
                    $"You already have {active} batch runs in progress (at most {_options.MaxRunsPerUser}); wait for one to finish.");
            while (_runs.Count >= _options.MaxRuns && !_runs.ContainsKey(run.RunId))
            {
                var oldest = _runs.Values.Where(r => r.FinishedAt is not null).MinBy(r => r.FinishedAt);
                if (oldest is null)
                    throw new HpcException(HpcErrorKind.RateLimited, $"The server holds {_runs.Count} batch runs in progress (at most {_options.MaxRuns}); try again later.");
                _runs.Remove(oldest.RunId);
            }
            _runs[run.RunId] = run;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<BatchRunStatus?> GetAsync(string owner, string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Evict();
            return Task.FromResult(_runs.TryGetValue(runId, out var run) && string.Equals(run.Owner, owner, StringComparison.Ordinal) ? run.Status() : null);
        }
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var run in _runs.Values.Where(r => r.FinishedAt is { } end && now - end >= _options.KeepFinished).ToList())
            _runs.Remove(run.RunId);
    }
}
