using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Firecrest.Server.Apis;

/// <summary>Services of the status handlers.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Settings">Server configuration.</param>
/// <param name="Time">Clock.</param>
/// <param name="Context">The request.</param>
public sealed record StatusServices([FromServices] IHpcEngine Engine, [FromServices] FirecrestSettings Settings, [FromServices] TimeProvider Time, HttpContext Context)
{
    /// <summary>Status operations as the caller.</summary>
    public IStatusOperations Status => Engine.ForUser(RequestUser.Resolve(Context, Settings)).Status;
}

/// <summary>The <c>/status</c> routes.</summary>
public static class StatusApi
{
    /// <summary>Maps the status routes.</summary>
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/status").WithTags("status");
        root.MapGet("/liveness/", GetLiveness).WithName("GetLiveness").WithSummary("Liveness of the API and its health checker (no authentication).");
        root.MapGet("/systems", GetSystems).WithName("GetSystems").WithSummary("Configured systems with their latest health.")
            .Produces<SystemsResponse>(StatusCodes.Status200OK).RequireFirecrestUser();

        var system = root.MapGroup("/{system_name}").RequireFirecrestUser().AddEndpointFilter<SystemGuardFilter>();
        system.MapGet("/nodes", GetNodes).WithName("GetSystemNodes").WithSummary("Compute nodes of a system.");
        system.MapGet("/partitions", GetPartitions).WithName("GetSystemPartitions").WithSummary("Partitions of a system.");
        system.MapGet("/reservations", GetReservations).WithName("GetSystemReservations").WithSummary("Reservations of a system.");
        system.MapGet("/userinfo", GetUserInfo).WithName("GetUserInfo").WithSummary("The caller's user, groups and accounts on a system.")
            .WithMetadata(new HealthGate(HealthServiceType.Ssh));
        return app;
    }

    /// <summary>Liveness: time of the last health run per system (no authentication).</summary>
    public static Ok<Liveness> GetLiveness(IHpcEngine engine, TimeProvider time)
    {
        var runs = engine.Health.LastRuns;
        var lastUpdate = runs.Count == 0 ? 0 : (long)Math.Max(0, (time.GetUtcNow() - runs.Values.Min()).TotalSeconds);
        return TypedResults.Ok(new Liveness { HealthcheckRuns = runs.ToDictionary(), LastUpdate = lastUpdate });
    }

    /// <summary>The configured systems (upstream <c>HPCCluster</c>, secrets masked, service account left out).</summary>
    public static JsonBytesResult GetSystems(HttpContext context, FirecrestSettings settings, SystemsResponseCache systems)
    {
        RequestUser.Username(context, settings);
        // The SystemsResponse body, serialised once per health state.
        return new JsonBytesResult(systems.Body());
    }

    /// <summary>Compute nodes. As upstream, every error, "no nodes" included, is answered 500.</summary>
    public static Task<Ok<NodesResponse>> GetNodes([AsParameters] StatusServices services, [FromRoute(Name = "system_name")] string systemName)
    {
        var status = services.Status;
        return AsInternalError(async () =>
        {
            var nodes = await status.GetNodesAsync(systemName, services.Context.RequestAborted);
            if (nodes.Count == 0) throw new HpcException(HpcErrorKind.NotFound, "404: No nodes found");
            return TypedResults.Ok(new NodesResponse(nodes));
        });
    }

    /// <summary>Partitions (<c>show_hidden</c>: Slurm hidden partitions too). As upstream, every error is answered 500.</summary>
    public static Task<Ok<PartitionsResponse>> GetPartitions(
        [AsParameters] StatusServices services, [FromRoute(Name = "system_name")] string systemName, bool show_hidden = false)
    {
        var status = services.Status;
        return AsInternalError(async () => TypedResults.Ok(new PartitionsResponse(
            await status.GetPartitionsAsync(systemName, show_hidden, services.Context.RequestAborted))));
    }

    /// <summary>Reservations. As upstream, every error is answered 500.</summary>
    public static Task<Ok<ReservationsResponse>> GetReservations([AsParameters] StatusServices services, [FromRoute(Name = "system_name")] string systemName)
    {
        var status = services.Status;
        return AsInternalError(async () => TypedResults.Ok(new ReservationsResponse(
            await status.GetReservationsAsync(systemName, services.Context.RequestAborted))));
    }

    /// <summary>User, groups and accounts of the caller. As upstream, every error is answered 500.</summary>
    public static Task<Ok<UserInfo>> GetUserInfo([AsParameters] StatusServices services, [FromRoute(Name = "system_name")] string systemName)
    {
        var status = services.Status;
        return AsInternalError(async () => TypedResults.Ok(await status.GetUserInfoAsync(systemName, services.Context.RequestAborted)));
    }

    /// <summary>Upstream's status handlers wrap every engine error as 500 with the error's text.</summary>
    private static async Task<T> AsInternalError<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler();
        }
        catch (HpcException ex) when (ex.Kind is not (HpcErrorKind.Unauthenticated or HpcErrorKind.Internal))
        {
            throw new HpcException(HpcErrorKind.Internal, ex.Message, ex) { CausedBy = ex.CausedBy };
        }
    }
}
