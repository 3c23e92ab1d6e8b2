using System.Diagnostics;
using Firecrest.Server.Auth;

namespace Firecrest.Server.Middleware;

/// <summary>One structured log line per request (time, requestId, user, system, route, method, status, duration); never tokens.</summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger, TimeProvider time)
{
    /// <summary>Runs the request and logs it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)";
            logger.LogInformation(
                "{Time} {RequestId} {User} {System} {Route} {Method} {Status} {DurationMs}",
                time.GetUtcNow().ToString("O"),
                ResponseHeadersMiddleware.RequestId(context),
                RequestUser.TryGetUsername(context),
                context.Request.RouteValues["system_name"] as string,
                route,
                context.Request.Method,
                context.Response.StatusCode,
                Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2));
        }
    }
}
