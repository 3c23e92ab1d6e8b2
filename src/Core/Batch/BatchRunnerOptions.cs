using Firecrest.Core.Jobs;

namespace Firecrest.Core.Batch;

/// <summary>Settings of a <see cref="BatchRunner"/>.</summary>
public sealed class BatchRunnerOptions
{
    /// <summary>Read the state file and continue the earlier run: completed jobs are not submitted again, running ones are re-attached.</summary>
    public bool Resume { get; set; }

    /// <summary>State file; default <c>&lt;run file&gt;.state.json</c>, none for a run without a file.</summary>
    public string? StateFilePath { get; set; }

    /// <summary>Moves inputs and outputs; default <see cref="FilesBatchFileMover"/>.</summary>
    public IBatchFileMover? FileMover { get; set; }

    /// <summary>First wait between two polls of the scheduler.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two polls (the wait grows while nothing changes).</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after its submission a job the scheduler does not list is taken as "not listed yet" (see <see cref="JobListing"/>); after it, the job is lost.</summary>
    public TimeSpan NotListedGrace { get; set; } = JobListing.DefaultGrace;

    /// <summary>The clock of the poll delays and the grace window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Scheduler type (<c>slurm</c>/<c>pbs</c>); default: asked from the system list.</summary>
    public string? SchedulerType { get; set; }

    /// <summary>The state file of <paramref name="definition"/> under these options, or null when there is none.</summary>
    public string? StateFileFor(BatchDefinition definition) =>
        StateFilePath ?? (definition.SourcePath is null ? null : definition.SourcePath + ".state.json");
}
