using Firecrest.Core.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Firecrest.Server.Apis;

/// <summary>The <c>/status</c> routes.</summary>
public static class StatusApi
{
    /// <summary>Maps the status routes.</summary>
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/status").WithTags("status");
        group.MapGet("/liveness/", GetLiveness).WithName("GetLiveness").WithSummary("Liveness of the API and its health checker.");
        return app;
    }

    /// <summary>Liveness: time of the last health run per system (no authentication).</summary>
    public static Ok<Liveness> GetLiveness() => TypedResults.Ok(new Liveness());
}
