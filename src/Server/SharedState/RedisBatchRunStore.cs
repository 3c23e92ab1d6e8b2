using Firecrest.Core;
using Firecrest.Core.Batch;
using StackExchange.Redis;

namespace Firecrest.Server.SharedState;

/// <summary>
/// <see cref="IBatchRunStore"/> in Redis: every replica reads and cancels every run. A run is driven by the replica
/// that started it (its runner polls the run's jobs); that replica writes the run's status to Redis every
/// <see cref="DefaultPublishInterval"/> with a lease, and picks up a cancellation asked for on any replica at the same beat.
/// When that replica dies the lease runs out: the next read marks the run finished with an error saying its jobs keep
/// running unattended (resume the run file with <c>run_batch resume=true</c>, or cancel it, which then needs no owner
/// replica). Finished runs stay readable for <see cref="BatchRunStoreOptions.KeepFinished"/>; the limits of
/// <see cref="BatchRunStoreOptions"/> count the unfinished runs of every replica. Redis unreachable → 503.
/// </summary>
public sealed class RedisBatchRunStore : IBatchRunStore, IAsyncDisposable
{
    /// <summary>How often the owning replica writes a run's status and looks for a cancellation, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultPublishInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a run's status stays trusted after its owner's last write, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(15);

    /// <summary>The error of a run whose replica stopped while it ran.</summary>
    public const string OrphanedError = "The server replica running this batch run stopped; jobs it had submitted keep running unattended. " +
        "Continue with run_batch resume=true on the run file, or check the jobs with list_jobs.";

    private const string What = "MCP batch runs";

    // Run ids are 12 hex characters; anything much longer is no run and is not sent to Redis.
    private const int MaxRunIdLength = 64;
    private static readonly RedisKey Active = RedisConnection.KeyPrefix + "batch:active";

    // KEYS[1] all active runs, KEYS[2] the owner's active runs; ARGV run id, most runs, most runs per user. Answers 0 ok, 1 user full, 2 store full.
    private const string RoomScript = """
        if redis.call('SCARD', KEYS[2]) - redis.call('SISMEMBER', KEYS[2], ARGV[1]) >= tonumber(ARGV[3]) then return 1 end
        if redis.call('SCARD', KEYS[1]) - redis.call('SISMEMBER', KEYS[1], ARGV[1]) >= tonumber(ARGV[2]) then return 2 end
        if ARGV[4] == '1' then
          redis.call('SADD', KEYS[1], ARGV[1])
          redis.call('SADD', KEYS[2], ARGV[1])
        end
        return 0
        """;

    private readonly RedisConnection _redis;
    private readonly BatchRunStoreOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _publishInterval;
    private readonly TimeSpan _lease;

    /// <summary>
    /// Creates the store on <paramref name="redis"/> with the limits of <paramref name="options"/>; a run is written every
    /// <paramref name="publishInterval"/> and orphaned <paramref name="lease"/> after its replica's last write.
    /// </summary>
    public RedisBatchRunStore(RedisConnection redis, BatchRunStoreOptions? options, ILogger<RedisBatchRunStore> logger,
        TimeSpan? publishInterval = null, TimeSpan? lease = null)
    {
        _redis = redis;
        _options = options ?? new BatchRunStoreOptions();
        _logger = logger;
        _publishInterval = publishInterval ?? DefaultPublishInterval;
        _lease = lease ?? DefaultLease;
    }

    /// <inheritdoc/>
    public async Task AddAsync(BatchRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await ReserveAsync(run.Owner, run.RunId, take: true).ConfigureAwait(false);
        await _redis.RunAsync(What, db => WriteAsync(db, run)).ConfigureAwait(false);
        _ = Task.Run(() => PumpAsync(run));
    }

    /// <inheritdoc/>
    public Task EnsureRoomAsync(string owner, CancellationToken cancellationToken = default) => ReserveAsync(owner, "", take: false);

    /// <inheritdoc/>
    public async Task<BatchRunStatus?> GetAsync(string owner, string runId, CancellationToken cancellationToken = default)
    {
        if (runId.Length is 0 or > MaxRunIdLength) return null;
        var entry = await _redis.RunAsync(What, db => db.HashGetAllAsync(KeyOf(runId))).ConfigureAwait(false);
        var fields = entry.ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        if (!fields.TryGetValue("owner", out var stored) || !string.Equals(stored, owner, StringComparison.Ordinal)) return null;
        var status = StatusOf(runId, fields);
        if (status.Finished || !long.TryParse(fields.GetValueOrDefault("until"), out var until) || until >= NowMs()) return status;
        var orphaned = status with { Finished = true, Succeeded = false, Error = OrphanedError };
        await _redis.RunAsync(What, db => FinishAsync(db, owner, runId, orphaned)).ConfigureAwait(false);
        return orphaned;
    }

    /// <inheritdoc/>
    public async Task<bool> CancelAsync(string owner, string runId, CancellationToken cancellationToken = default)
    {
        var status = await GetAsync(owner, runId, cancellationToken).ConfigureAwait(false);
        if (status is null) return false;
        if (!status.Finished) await _redis.RunAsync(What, db => db.HashSetAsync(KeyOf(runId), "cancel", "1")).ConfigureAwait(false);
        return true;
    }

    private async Task ReserveAsync(string owner, string runId, bool take)
    {
        var answer = (long)await _redis.RunAsync(What, db => db.ScriptEvaluateAsync(RoomScript, [Active, ActiveOf(owner)],
            [runId, _options.MaxRuns, _options.MaxRunsPerUser, take ? "1" : "0"])).ConfigureAwait(false);
        if (answer == 1)
            throw new HpcException(HpcErrorKind.RateLimited,
                $"You already have {_options.MaxRunsPerUser} batch runs in progress (at most {_options.MaxRunsPerUser}); wait for one to finish.");
        if (answer == 2)
            throw new HpcException(HpcErrorKind.RateLimited, $"The server holds {_options.MaxRuns} batch runs in progress (at most {_options.MaxRuns}); try again later.");
    }

    // Writes the run's status every beat until it ended, honouring a cancellation asked for on any replica.
    private async Task PumpAsync(BatchRun run)
    {
        using var timer = new PeriodicTimer(_publishInterval);
        var cancelling = false;
        try
        {
            while (true)
            {
                var ended = run.Completion.IsCompleted && run.Status().Finished;
                try
                {
                    if (ended)
                    {
                        await _redis.RunAsync(What, db => FinishAsync(db, run.Owner, run.RunId, run.Status())).ConfigureAwait(false);
                        return;
                    }
                    await _redis.RunAsync(What, db => WriteAsync(db, run)).ConfigureAwait(false);
                    if (!cancelling && await _redis.RunAsync(What, db => db.HashGetAsync(KeyOf(run.RunId), "cancel")).ConfigureAwait(false) == "1")
                    {
                        cancelling = true;
                        _ = Task.Run(() => run.CancelAsync(_stopping.Token));
                    }
                }
                catch (HpcException e)
                {
                    // Redis away for a while: the run goes on here; its status is written again once Redis is back.
                    _logger.LogWarning("Batch run {RunId}: status not written to Redis: {Message}", run.RunId, e.Message);
                }
                if (!await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException)
        {
            // The server stops: the lease runs out and another replica reports the run as orphaned.
        }
    }

    private Task WriteAsync(IDatabase db, BatchRun run)
    {
        var status = run.Status();
        var key = KeyOf(run.RunId);
        var batch = db.CreateBatch();
        var write = batch.HashSetAsync(key, [
            new("owner", run.Owner),
            new("finished", "0"),
            new("error", status.Error ?? ""),
            new("report", status.Report?.ToJson() ?? ""),
            new("until", NowMs() + (long)_lease.TotalMilliseconds),
        ]);
        var expire = batch.KeyExpireAsync(key, _lease + _options.KeepFinished);
        batch.Execute();
        return Task.WhenAll(write, expire);
    }

    private Task FinishAsync(IDatabase db, string owner, string runId, BatchRunStatus status)
    {
        var key = KeyOf(runId);
        var batch = db.CreateBatch();
        var tasks = new List<Task>
        {
            batch.HashSetAsync(key, [
                new("owner", owner),
                new("finished", "1"),
                new("succeeded", status.Succeeded ? "1" : "0"),
                new("error", status.Error ?? ""),
                new("report", status.Report?.ToJson() ?? ""),
            ]),
            batch.KeyExpireAsync(key, _options.KeepFinished),
            batch.SetRemoveAsync(Active, runId),
            batch.SetRemoveAsync(ActiveOf(owner), runId),
        };
        batch.Execute();
        return Task.WhenAll(tasks);
    }

    private static BatchRunStatus StatusOf(string runId, Dictionary<string, string?> fields)
    {
        var report = fields.GetValueOrDefault("report") is { Length: > 0 } json ? BatchReport.FromJson(json) : null;
        var error = fields.GetValueOrDefault("error") is { Length: > 0 } e ? e : null;
        return new BatchRunStatus(runId, fields.GetValueOrDefault("finished") == "1", fields.GetValueOrDefault("succeeded") == "1", error, report);
    }

    // The replicas' clocks decide leases; they are assumed synchronised (NTP) to well under the lease.
    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static RedisKey KeyOf(string runId) => RedisConnection.KeyPrefix + "batch:run:" + runId;

    private static RedisKey ActiveOf(string owner) => RedisConnection.KeyPrefix + "batch:active:" + owner;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
