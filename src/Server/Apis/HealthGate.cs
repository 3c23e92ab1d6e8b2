using Firecrest.Core.Models;

namespace Firecrest.Server.Apis;

/// <summary>
/// Endpoint metadata: the services whose health gates the route. When the system probes its services and one of
/// these was found unhealthy, the request is answered 503 before it reaches the engine.
/// </summary>
/// <param name="Services">Service types checked in this order.</param>
public sealed record HealthGate(params HealthServiceType[] Services)
{
    /// <summary>
    /// The <c>ssh</c> service gates only when the system's scheduler is reached over SSH (<c>ssh</c> or <c>hybrid</c>
    /// connection mode), as on upstream's compute routes; with <c>rest</c> the route needs no SSH.
    /// </summary>
    public bool SshOnlyWhenSchedulerUsesSsh { get; init; }
}

/// <summary>
/// A request body that names a source path: the file-system gate checks the health of the file system that holds it.
/// </summary>
public interface ISourcePathRequest
{
    /// <summary>The source path (<c>path</c>, <c>sourcePath</c> or <c>source_path</c>).</summary>
    string? SourcePath { get; }
}
