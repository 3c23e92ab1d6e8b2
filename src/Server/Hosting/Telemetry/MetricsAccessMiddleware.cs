using Firecrest.Server.Errors;

namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>
/// Answers 403 (error envelope) to a <c>/metrics</c> request from an address outside
/// <see cref="PrometheusOptions.AllowedNetworks"/>, before the rate limiter and authentication; other paths pass.
/// </summary>
public sealed class MetricsAccessMiddleware(RequestDelegate next, MetricsAllowList allowList)
{
    /// <summary>Refuses callers outside the allow-list.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(TelemetrySetup.MetricsPath, StringComparison.OrdinalIgnoreCase)
            || allowList.Allows(context.Connection.RemoteIpAddress))
            return next(context);
        return ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden,
            new ApiError(ApiError.Error, "Metrics are not available to this address (Telemetry:Prometheus:AllowedNetworks)."));
    }
}
