namespace Firecrest.PowerShell.Objects;

/// <summary>A job as the cmdlets write it: typed times, the normalised state, and the system it runs on.</summary>
public sealed class HpcJob
{
    /// <summary>Job id (text: array elements and PBS ids are not numbers).</summary>
    public string JobId { get; init; } = "";

    public string? Name { get; init; }

    public HpcJobState State { get; init; }

    /// <summary>The scheduler's own state text (e.g. <c>CANCELLED by 1000</c>).</summary>
    public string SchedulerState { get; init; } = "";

    /// <summary>Why the job is pending or ended, as the scheduler says.</summary>
    public string? Reason { get; init; }

    /// <summary>Exit code; null until the job has ended, and for a cancelled or timed-out job that did not exit by itself.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Signal that ended the job; null until the job has ended.</summary>
    public int? Signal { get; init; }

    /// <summary>True once the job has ended (completed, failed, cancelled or timed out).</summary>
    public bool HasEnded { get; init; }

    public string? User { get; init; }

    public string? Account { get; init; }

    public string? Partition { get; init; }

    public string? Group { get; init; }

    /// <summary>Node list, in the scheduler's notation.</summary>
    public string? Nodes { get; init; }

    public int? NodeCount { get; init; }

    public string? WorkingDirectory { get; init; }

    public long? Priority { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public TimeSpan? Elapsed { get; init; }

    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Steps or array elements.</summary>
    public IReadOnlyList<HpcJobTask> Tasks { get; init; } = [];

    /// <summary>System the job runs on.</summary>
    public string System { get; init; } = "";

    /// <summary>The job id, so a job given where an id is expected is its id.</summary>
    public override string ToString() => JobId;
}

/// <summary>A step or array element of a job.</summary>
public sealed class HpcJobTask
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public HpcJobState State { get; init; }

    /// <summary>Exit code; null until the task has ended.</summary>
    public int? ExitCode { get; init; }

    public TimeSpan? Elapsed { get; init; }

    /// <inheritdoc/>
    public override string ToString() => ExitCode is { } code ? $"{Id} {State} (exit {code})" : $"{Id} {State}";
}
