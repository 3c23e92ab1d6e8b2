namespace Firecrest.Core.Batch;

/// <summary>Limits of a <see cref="IBatchRunStore"/>.</summary>
public sealed class BatchRunStoreOptions
{
    /// <summary>Most runs kept for all users together (finished ones are evicted first to make room).</summary>
    public int MaxRuns { get; set; } = 200;

    /// <summary>Most unfinished runs one user may have at a time.</summary>
    public int MaxRunsPerUser { get; set; } = 10;

    /// <summary>How long a finished run stays readable.</summary>
    public TimeSpan KeepFinished { get; set; } = TimeSpan.FromHours(1);
}
