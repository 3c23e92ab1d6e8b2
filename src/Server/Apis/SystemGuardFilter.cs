using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Server.Auth;

namespace Firecrest.Server.Apis;

/// <summary>
/// Runs before every system-scoped route: unknown system → 404 "System not found", the OpenFGA check, then health
/// gating and the file-system path guard (only when the system's <c>probing.services</c> is non-empty, as upstream).
/// </summary>
public sealed class SystemGuardFilter(FirecrestSettings settings, IHpcEngine engine, OpenFgaAuthorizer authorizer) : IEndpointFilter
{
    /// <summary>Route parameter that holds the system name.</summary>
    public const string SystemRouteKey = "system_name";

    /// <summary>Linux PATH_MAX (bytes, with the terminating NUL): longer paths fail remotely with ENAMETOOLONG.</summary>
    public const int PathMax = 4096;

    /// <summary>Linux NAME_MAX: the longest single file name in bytes.</summary>
    public const int NameMax = 255;

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
            if (service == "filesystem")
            {
                var path = GuardPath(context, cluster);
                if (!health.IsHealthy(cluster.Name, service, path))
                {
                    var fs = FileSystemOf(cluster, path)?.Path ?? path;
                    throw new HpcException(HpcErrorKind.Unavailable, $"The requested filesystem ({fs} on {cluster.Name}) is unhealthy.");
                }
            }
            else if (!health.IsHealthy(cluster.Name, service))
            {
                throw new HpcException(HpcErrorKind.Unavailable, $"The {service} service for the requested system ({cluster.Name}) is unhealthy.");
            }
        }
    }

    /// <summary>The source path of the request, checked to be absolute and inside a configured file system.</summary>
    private static string GuardPath(EndpointFilterInvocationContext context, ClusterSettings cluster)
    {
        string? path = context.HttpContext.Request.Query["path"];
        if (string.IsNullOrEmpty(path))
            path = context.Arguments.OfType<ISourcePathRequest>().FirstOrDefault()?.SourcePath;
        if (string.IsNullOrEmpty(path))
            throw new HpcException(HpcErrorKind.InvalidArgument, "Missing path parameter.");
        if (!path.StartsWith('/'))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Path '{path}' is not absolute.");
        if (System.Text.Encoding.UTF8.GetByteCount(path) >= PathMax || path.Split('/').Any(p => System.Text.Encoding.UTF8.GetByteCount(p) > NameMax))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Path is too long (at most {PathMax - 1} bytes, {NameMax} bytes per name).");
        if (FileSystemOf(cluster, path) is null)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Path '{path}' is not inside a file system of {cluster.Name}.");
        return path;
    }

    private static FileSystemSettings? FileSystemOf(ClusterSettings cluster, string path)
    {
        var normal = NormalizePath(path);
        return cluster.FileSystems
            .Where(fs => IsUnder(normal, NormalizePath(fs.Path)))
            .OrderByDescending(fs => fs.Path.Length)
            .FirstOrDefault();
    }

    private static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    /// <summary>POSIX normpath of an absolute path (., .. and repeated slashes resolved lexically).</summary>
    internal static string NormalizePath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
