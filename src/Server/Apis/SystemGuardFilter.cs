using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.FileSystem;
using Firecrest.Server.Auth;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Server.Apis;

/// <summary>
/// Runs before every system-scoped route: unknown system → 404 "System not found", the OpenFGA check, then health
/// gating with the source path located by the engine's <see cref="PathGuard"/> so that the right file system's
/// health applies (only when the system's <c>probing.services</c> is non-empty, as upstream). Bad paths are not judged
/// here: the handler and the engine answer them with the validation envelope.
/// </summary>
public sealed class SystemGuardFilter(FirecrestSettings settings, IHpcEngine engine, OpenFgaAuthorizer authorizer) : IEndpointFilter
{
    /// <summary>Route parameter that holds the system name.</summary>
    public const string SystemRouteKey = "system_name";

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var name = http.Request.RouteValues[SystemRouteKey] as string ?? "";
        var cluster = settings.FindCluster(name) ?? throw new HpcException(HpcErrorKind.NotFound, "System not found");
        if (authorizer.IsEnabled)
            await authorizer.EnsureAllowedAsync(RequestUser.Resolve(http, settings), cluster.Name, http.RequestAborted);
        var gate = http.GetEndpoint()?.Metadata.GetMetadata<HealthGate>();
        if (gate is not null && cluster.Probing.Services is { Count: > 0 })
            CheckHealth(context, cluster, gate);
        return await next(context);
    }

    private void CheckHealth(EndpointFilterInvocationContext context, ClusterSettings cluster, HealthGate gate)
    {
        var health = engine.Health;
        foreach (var service in gate.Services)
        {
            if (service == HealthServiceType.Ssh && gate.SshOnlyWhenSchedulerUsesSsh && cluster.Scheduler.ConnectionMode == SchedulerConnectionMode.Rest)
                continue;
            if (service == HealthServiceType.Filesystem)
            {
                if (GuardPath(context, cluster) is not var (path, fileSystem)) continue;
                if (!health.IsHealthy(cluster.Name, service, path))
                    throw new HpcException(HpcErrorKind.Unavailable, $"The requested filesystem ({fileSystem.Path} on {cluster.Name}) is unhealthy.");
            }
            else if (!health.IsHealthy(cluster.Name, service))
            {
                throw new HpcException(HpcErrorKind.Unavailable, $"The {WireNames.Of(service)} service for the requested system ({cluster.Name}) is unhealthy.");
            }
        }
    }

    /// <summary>
    /// The source path of the request (query <c>path</c>, else the body's source path) and the configured file system
    /// that holds it, found with the engine's <see cref="PathGuard"/>; null when the path does not parse or lies in no
    /// file system: the handler and the engine then answer the validation error naming every bad field.
    /// </summary>
    private static (string Path, FileSystemSettings FileSystem)? GuardPath(EndpointFilterInvocationContext context, ClusterSettings cluster)
    {
        string? path = context.HttpContext.Request.Query["path"];
        if (string.IsNullOrEmpty(path))
            path = context.Arguments.OfType<ISourcePathRequest>().FirstOrDefault()?.SourcePath;
        if (!RemotePath.TryParse(path, out var parsed, out _)) return null;
        return new PathGuard(cluster.FileSystems).FileSystemOf(parsed) is { } fileSystem ? (parsed.Value, fileSystem) : null;
    }
}
