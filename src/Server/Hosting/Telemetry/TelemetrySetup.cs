using Firecrest.Core.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for the server. The sources and meters (ASP.NET Core's request spans and <c>http.server.*</c>
/// instruments, outgoing HTTP, <see cref="FirecrestTelemetry"/>, <see cref="ServerMetrics"/>) are always described to
/// the OpenTelemetry builders, but a tracer or meter provider only runs when <see cref="TelemetryOptions"/> names an
/// exporter (Prometheus for metrics, OTLP for both), so an unconfigured server collects nothing.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The route of the Prometheus scraping endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Registers the providers and exporters configured in the <c>Telemetry</c> section.</summary>
    /// <exception cref="InvalidOperationException">Prometheus is enabled without an allow-list, or an entry of it or the OTLP settings is invalid.</exception>
    public static IServiceCollection AddFirecrestTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        services.ConfigureOpenTelemetryTracerProvider(t => t
            .AddSource(FirecrestTelemetry.SourceName)
            .AddAspNetCoreInstrumentation(o =>
            {
                o.Filter = context => !IsMetricsScrape(context);
                o.EnrichWithHttpResponse = (activity, response) =>
                {
                    if (Auth.RequestUser.TryGetUsername(response.HttpContext) is { } user) activity.SetTag(FirecrestTelemetry.UserTag, user);
                };
            })
            .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = HideS3ObjectKey));
        services.ConfigureOpenTelemetryMeterProvider(m => m
            .AddMeter(FirecrestTelemetry.MeterName, ServerMetrics.MeterName)
            .AddAspNetCoreInstrumentation());
        if (options.Otlp.Enabled) Otlp(new OtlpExporterOptions(), options.Otlp, "traces");
        if (!options.MetricsEnabled) return services;

        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName));
        otel.WithMetrics(m =>
        {
            if (options.Prometheus.Enabled) m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            if (options.Otlp.Enabled) m.AddOtlpExporter(o => Otlp(o, options.Otlp, "metrics"));
        });
        if (options.Otlp.Enabled) otel.WithTracing(t => t.AddOtlpExporter(o => Otlp(o, options.Otlp, "traces")));
        if (options.Prometheus.Enabled)
        {
            var allowList = new MetricsAllowList(options.Prometheus.AllowedNetworks);
            if (allowList.Count == 0)
                throw new InvalidOperationException("Telemetry:Prometheus:Enabled is true but Telemetry:Prometheus:AllowedNetworks is empty: name the addresses or networks allowed to scrape /metrics.");
            if (options.Prometheus.Port is < 1 or > 65535)
                throw new InvalidOperationException($"Telemetry:Prometheus:Port must be a TCP port (1-65535), not {options.Prometheus.Port}.");
            services.AddSingleton(allowList);
        }
        return services;
    }

    /// <summary>Adds the allow-list check of <c>/metrics</c> when Prometheus is enabled (early in the pipeline).</summary>
    public static WebApplication UseFirecrestMetricsAccess(this WebApplication app)
    {
        if (app.Services.GetService<MetricsAllowList>() is not null) app.UseMiddleware<MetricsAccessMiddleware>();
        return app;
    }

    /// <summary>Maps <c>GET /metrics</c> (no token; the allow-list applies) when Prometheus is enabled.</summary>
    public static WebApplication MapFirecrestMetrics(this WebApplication app)
    {
        if (app.Services.GetService<MetricsAllowList>() is not null)
            app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// S3 object keys carry users' file names: the outgoing-HTTP span of an AWS SDK request keeps only the endpoint and
    /// the bucket in <c>url.full</c> (its query is already redacted); the <c>S3.*</c> span above it names the operation.
    /// </summary>
    internal static void HideS3ObjectKey(System.Diagnostics.Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri || !request.Headers.Contains("amz-sdk-invocation-id")) return;
        var bucket = uri.Segments.Length > 1 ? uri.Segments[1].TrimEnd('/') : "";
        activity.SetTag("url.full", $"{uri.GetLeftPart(UriPartial.Authority)}/{bucket}");
    }

    private static bool IsMetricsScrape(HttpContext context) =>
        context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Points the exporter at the collector. With <c>http/protobuf</c> an endpoint set in code is used as it is, so
    /// the signal's path (<c>/v1/traces</c>, <c>/v1/metrics</c>) is added here.
    /// </summary>
    private static void Otlp(OtlpExporterOptions exporter, OtlpOptions options, string signal)
    {
        var endpoint = options.Endpoint!.Trim().TrimEnd('/');
        exporter.Protocol = options.Protocol.Trim().ToLowerInvariant() switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"Telemetry:Otlp:Protocol must be 'grpc' or 'http/protobuf', not '{options.Protocol}'."),
        };
        if (exporter.Protocol == OtlpExportProtocol.HttpProtobuf) endpoint += "/v1/" + signal;
        exporter.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"Telemetry:Otlp:Endpoint must be an http(s) URL, not '{options.Endpoint}'.");
    }
}
