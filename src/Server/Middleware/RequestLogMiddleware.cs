using System.Diagnostics;
using System.Globalization;
using Firecrest.Server.Auth;

namespace Firecrest.Server.Middleware;

/// <summary>
/// One structured log line per request (time, request and correlation ids, trace id, user, system, route, method, status,
/// duration); never tokens.
/// The message is source-generated and its values are computed only when the Information level is enabled.
/// </summary>
public sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger, TimeProvider time)
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
            if (logger.IsEnabled(LogLevel.Information)) Log(context, start);
        }
    }

    private void Log(HttpContext context, long start) =>
        LogRequest(logger,
            time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ResponseHeadersMiddleware.RequestId(context),
            ResponseHeadersMiddleware.CorrelationId(context),
            Activity.Current?.TraceId.ToHexString(),
            RequestUser.TryGetUsername(context),
            context.Request.RouteValues["system_name"] as string,
            (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)",
            context.Request.Method,
            context.Response.StatusCode,
            Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2));

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information,
        Message = "{Time} {RequestId} {CorrelationId} {TraceId} {User} {System} {Route} {Method} {Status} {DurationMs}")]
    private static partial void LogRequest(ILogger logger, string time, string? requestId, string? correlationId, string? traceId, string? user, string? system,
        string route, string method, int status, double durationMs);
}
