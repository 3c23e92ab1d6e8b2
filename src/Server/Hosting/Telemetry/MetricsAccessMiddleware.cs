using Firecrest.Server.Errors;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>
/// Guards <c>/metrics</c> before the rate limiter and authentication: with <see cref="PrometheusOptions.Port"/> set,
/// <c>/metrics</c> on any other port and any other path on that port are answered 404; a scrape from an address
/// outside <see cref="PrometheusOptions.AllowedNetworks"/> is answered 403 (error envelope). Other requests pass.
/// </summary>
public sealed class MetricsAccessMiddleware(RequestDelegate next, MetricsAllowList allowList, IOptions<TelemetryOptions> options)
{
    private readonly int? _port = options.Value.Prometheus.Port;

    /// <summary>Refuses what the port rule or the allow-list excludes.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var isMetrics = context.Request.Path.Equals(TelemetrySetup.MetricsPath, StringComparison.OrdinalIgnoreCase);
        if (_port is { } port && isMetrics != (context.Connection.LocalPort == port))
            return ErrorWriter.WriteStatusAsync(context, StatusCodes.Status404NotFound);
        if (!isMetrics || allowList.Allows(context.Connection.RemoteIpAddress)) return next(context);
        return ErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden,
            new ApiError(ApiError.Error, "Metrics are not available to this address (Telemetry:Prometheus:AllowedNetworks)."));
    }
}
