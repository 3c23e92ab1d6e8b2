namespace Firecrest.Core.Batch;

/// <summary>
/// A batch run going on in the background, outliving the call that started it: its owner, its runner and the task
/// that drives it. The moment it finished is taken from the given clock, so stores can evict it a while later.
/// </summary>
public sealed class BatchRun
{
    private readonly BatchRunner _runner;
    private readonly Task _task;
    private long _finishedAtTicks = -1;

    private BatchRun(string owner, BatchRunner runner, Task task, string runId, TimeProvider time)
    {
        Owner = owner;
        _runner = runner;
        _task = task;
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
        var task = runner.RunAsync(definition, null, CancellationToken.None);
        var report = runner.Snapshot()
            ?? throw new HpcException(HpcErrorKind.InvalidArgument, "The batch run could not start: " + (task.Exception?.GetBaseException().Message ?? "unknown error"));
        return new BatchRun(owner, runner, task, report.RunId, time);
    }

    /// <summary>What the run looks like now.</summary>
    public BatchRunStatus Status()
    {
        var report = _runner.Snapshot();
        var finished = _task.IsCompleted;
        var error = _task.Exception?.GetBaseException().Message;
        return new BatchRunStatus(RunId, finished, finished && error is null && report?.Succeeded == true, error, report);
    }
}
