using System.Diagnostics.Metrics;

namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>The server's own instruments (meter <see cref="MeterName"/>); request rate and latency per route come from ASP.NET Core's <c>http.server.request.duration</c>.</summary>
public static class ServerMetrics
{
    /// <summary>Name of the server's <see cref="Meter"/>.</summary>
    public const string MeterName = "Firecrest.Server";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "firecrest.rate_limit.rejections", "{request}", "Requests answered 429, by limiter: user (per-user bucket), anonymous (per-address bucket of token-less requests) or pre_auth (per-address limit of token-less and refused requests before authentication).");

    /// <summary>Counts one request refused by <paramref name="limiter"/> (<c>user</c>, <c>anonymous</c> or <c>pre_auth</c>).</summary>
    public static void RateLimitRejected(string limiter) =>
        RateLimitRejections.Add(1, new KeyValuePair<string, object?>("firecrest.rate_limiter", limiter));
}
