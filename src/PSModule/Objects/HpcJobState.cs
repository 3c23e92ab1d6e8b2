namespace Firecrest.PowerShell.Objects;

/// <summary>
/// A job's state, normalised from the scheduler's (Slurm or PBS) state text. Backed by <c>long</c> on purpose:
/// <c>ConvertTo-Json</c> writes enums of that width by name ("Completed") and narrower ones as numbers.
/// It mirrors the engine's job state member for member because a public type of this module cannot expose an
/// engine type: PowerShell loads the module's public types before the module's load context can resolve the engine.
/// </summary>
public enum HpcJobState : long
{
    /// <summary>Unknown or unrecognised.</summary>
    Unknown,

    /// <summary>Queued.</summary>
    Pending,

    /// <summary>Running (or completing).</summary>
    Running,

    /// <summary>Held or suspended.</summary>
    Held,

    /// <summary>Finished with exit code 0.</summary>
    Completed,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Cancelled.</summary>
    Cancelled,

    /// <summary>Hit its time limit.</summary>
    Timeout,
}
