using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Json;
using Firecrest.Server.Errors;
using Firecrest.Server.Hosting.Readiness;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Apis;

/// <summary>
/// <c>GET /status/readiness/</c> for orchestrators and load balancers (an addition; <c>/status/liveness/</c> stays as
/// upstream). No authentication and no rate limit: a probe answered 429 would take the replica out of service.
/// </summary>
public static class ReadinessApi
{
    /// <summary>Maps the readiness route.</summary>
    public static IEndpointRouteBuilder MapReadinessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/readiness/", GetReadiness).WithTags("status").WithName("GetReadiness")
            .DisableRateLimiting();
        return app;
    }

    /// <summary>
    /// Readiness for orchestrators (no authentication): 200 with every condition when the configuration is loaded and
    /// the health checker has checked a system; else 503, the error envelope naming the failing conditions.
    /// </summary>
    /// <remarks>The built-in conditions come first, then every registered <see cref="IReadinessCondition"/>.</remarks>
    public static async Task<Results<Ok<ReadinessReport>, JsonHttpResult<ApiError>>> GetReadiness(
        FirecrestSettings settings, IHpcEngine engine, TimeProvider time,
        [FromServices] IEnumerable<IReadinessCondition> registered, [FromServices] IOptions<HttpJsonOptions> json, CancellationToken cancellationToken)
    {
        IReadinessCondition[] builtIn = [new ConfigurationLoadedCondition(settings), new HealthCheckedCondition(settings, engine)];
        var report = await ReadinessEvaluator.EvaluateAsync(builtIn.Concat(registered), time, cancellationToken);
        if (report.Ready) return TypedResults.Ok(report);
        var failing = report.Conditions.Where(c => !c.Ready).Select(c => $"{c.Name}: {c.Message}");
        var error = new ApiError(ApiError.Error, "Not ready: " + string.Join("; ", failing), Data: report);
        return TypedResults.Json(error, json.Value.SerializerOptions.TypeInfo<ApiError>(), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
