namespace Firecrest.Core.Batch;

/// <summary>
/// A batch run going on in the background, outliving the call that started it: its owner, its runner and the task
/// that drives it. The moment it finished is taken from the given clock, so stores can evict it a while later.
/// </summary>
public sealed class BatchRun
{
    private readonly BatchRunner _runner;
    private readonly Task _task;
    private readonly CancellationTokenSource _stop;
    private long _finishedAtTicks = -1;
    private int _cancelState; // 0 running, 1 cancelling, 2 cancelled

    private BatchRun(string owner, BatchRunner runner, Task task, CancellationTokenSource stop, string runId, TimeProvider time)
    {
        Owner = owner;
        _runner = runner;
        _task = task;
        _stop = stop;
        RunId = runId;
        Completion = task.ContinueWith(_ => Interlocked.Exchange(ref _finishedAtTicks, time.GetUtcNow().UtcTicks), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes once the run has ended and <see cref="FinishedAt"/> is set; never faults.</summary>
    public Task Completion { get; }

    /// <summary>The user who started the run.</summary>
    public string Owner { get; }

    /// <summary>The run id (the state file's id when resuming).</summary>
    public string RunId { get; }

    /// <summary>When the run ended, on the clock given to <see cref="Start"/>; null while it runs.</summary>
    public DateTimeOffset? FinishedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _finishedAtTicks);
            return ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Starts <paramref name="definition"/> with <paramref name="runner"/> for <paramref name="owner"/>. Throws
    /// <see cref="HpcException"/> (InvalidArgument) when the run fails before it has a report (and so no id).
    /// </summary>
    public static BatchRun Start(string owner, BatchRunner runner, BatchDefinition definition, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(time);
        // RunAsync runs synchronously up to its first call to the cluster, so the report (and its run id) exists on return.
        var stop = new CancellationTokenSource();
        var task = runner.RunAsync(definition, null, stop.Token);
        var report = runner.Snapshot()
            ?? throw new HpcException(HpcErrorKind.InvalidArgument, "The batch run could not start: " + (task.Exception?.GetBaseException().Message ?? "unknown error"));
        return new BatchRun(owner, runner, task, stop, report.RunId, time);
    }

    /// <summary>
    /// Stops the run: no further job is submitted, its queued and running jobs are cancelled on the scheduler, and the
    /// status reports it finished with an error saying so. Does nothing to a run that already ended.
    /// </summary>
    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        if (_task.IsCompleted || Interlocked.CompareExchange(ref _cancelState, 1, 0) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled (or failed meanwhile): what follows marks the jobs either way.
        }
        try
        {
            await _runner.CancelSubmittedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _cancelState, 2);
        }
    }

    /// <summary>The <see cref="BatchRunStatus.Error"/> of a cancelled run.</summary>
    public const string CancelledError = "Cancelled on request: no further job was submitted and its queued or running jobs were cancelled.";

    /// <summary>What the run looks like now.</summary>
    public BatchRunStatus Status()
    {
        var report = _runner.Snapshot();
        var cancel = Volatile.Read(ref _cancelState);
        var finished = _task.IsCompleted && cancel != 1;
        var error = cancel != 0 ? CancelledError : _task.Exception?.GetBaseException().Message;
        return new BatchRunStatus(RunId, finished, finished && error is null && report?.Succeeded == true, error, report);
    }
}
