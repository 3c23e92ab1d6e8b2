namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>
/// Metrics and traces (configuration section <c>Telemetry</c>). Everything is off by default: no <c>/metrics</c> route,
/// no exporter. docs/configuration.md describes each key.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute of every exported span and metric.</summary>
    public string ServiceName { get; set; } = "firecrest";

    /// <summary>The Prometheus scraping endpoint.</summary>
    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>OTLP export of traces and metrics.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>True when a metrics exporter is configured.</summary>
    public bool MetricsEnabled => Prometheus.Enabled || Otlp.Enabled;
}

/// <summary><c>Telemetry:Prometheus</c>: <c>GET /metrics</c> in the Prometheus text format, without a token.</summary>
public sealed class PrometheusOptions
{
    /// <summary>Maps <c>/metrics</c>; off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Client addresses or networks (<c>10.0.0.0/8</c>, <c>127.0.0.1</c>, <c>fd00::/8</c>) that may scrape; every other
    /// caller is answered 403. Required when <see cref="Enabled"/>. The address is the TCP peer's, so behind a reverse
    /// proxy on the same host the proxy must not forward <c>/metrics</c>.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// When set, <c>/metrics</c> answers only on connections to this local port and that port answers nothing else
    /// (404), so a Service or Ingress in front of the API port never exposes metrics. Kestrel must listen on it too,
    /// e.g. <c>ASPNETCORE_URLS=http://+:8000;http://+:9464</c>.
    /// </summary>
    public int? Port { get; set; }
}

/// <summary><c>Telemetry:Otlp</c>: export traces and metrics to an OpenTelemetry collector.</summary>
public sealed class OtlpOptions
{
    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP); empty = off.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>True when <see cref="Endpoint"/> is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
