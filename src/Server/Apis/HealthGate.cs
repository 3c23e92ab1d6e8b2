namespace Firecrest.Server.Apis;

/// <summary>Endpoint metadata: the services (ssh, scheduler, filesystem) whose health gates the route (§0).</summary>
/// <param name="Services">Service types checked in this order.</param>
public sealed record HealthGate(params string[] Services)
{
    /// <summary>
    /// The <c>ssh</c> service gates only when the system's scheduler is reached over SSH (<c>ssh</c> or <c>hybrid</c>
    /// connection mode), as on upstream's compute routes; with <c>rest</c> the route needs no SSH.
    /// </summary>
    public bool SshOnlyWhenSchedulerUsesSsh { get; init; }
}

/// <summary>A request body that names the source path checked by the file-system guard (§0).</summary>
public interface ISourcePathRequest
{
    /// <summary>The source path (<c>path</c>, <c>sourcePath</c> or <c>source_path</c>).</summary>
    string? SourcePath { get; }
}
