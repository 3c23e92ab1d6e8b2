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
            if (run.FinishedAt is null) CheckOwner(run.Owner, run.RunId);
            if (!_runs.ContainsKey(run.RunId)) MakeRoom();
            _runs[run.RunId] = run;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task EnsureRoomAsync(string owner, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Evict();
            CheckOwner(owner, null);
            if (_runs.Count >= _options.MaxRuns && !_runs.Values.Any(r => r.FinishedAt is not null)) throw Full();
        }
        return Task.CompletedTask;
    }

    private void CheckOwner(string owner, string? runId)
    {
        var active = _runs.Values.Count(r => r.Owner == owner && r.FinishedAt is null && r.RunId != runId);
        if (active >= _options.MaxRunsPerUser)
            throw new HpcException(HpcErrorKind.RateLimited,
                $"You already have {active} batch runs in progress (at most {_options.MaxRunsPerUser}); wait for one to finish.");
    }

    // Evicts the oldest finished runs until there is room for one more.
    private void MakeRoom()
    {
        while (_runs.Count >= _options.MaxRuns)
        {
            var oldest = _runs.Values.Where(r => r.FinishedAt is not null).MinBy(r => r.FinishedAt) ?? throw Full();
            _runs.Remove(oldest.RunId);
        }
    }

    private HpcException Full() =>
        new(HpcErrorKind.RateLimited, $"The server holds {_runs.Count} batch runs in progress (at most {_options.MaxRuns}); try again later.");

    /// <inheritdoc/>
    public Task<BatchRunStatus?> GetAsync(string owner, string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Evict();
            return Task.FromResult(_runs.TryGetValue(runId, out var run) && string.Equals(run.Owner, owner, StringComparison.Ordinal) ? run.Status() : null);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> CancelAsync(string owner, string runId, CancellationToken cancellationToken = default)
    {
        BatchRun? run;
        lock (_lock)
        {
            Evict();
            if (!_runs.TryGetValue(runId, out run) || !string.Equals(run.Owner, owner, StringComparison.Ordinal)) return false;
        }
        await run.CancelAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var run in _runs.Values.Where(r => r.FinishedAt is { } end && now - end >= _options.KeepFinished).ToList())
            _runs.Remove(run.RunId);
    }
}
