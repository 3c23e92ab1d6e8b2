using Firecrest.Core.Configuration;

namespace Firecrest.Core.Health;

/// <summary>Optional settings of the <see cref="HealthChecker"/>.</summary>
public sealed class HealthCheckerOptions
{
    /// <summary>
    /// Runs the ssh, scheduler and filesystem probes as this user instead of the user named by the service account's
    /// token (<c>username_claim</c>); no token is fetched then. For tests and sites without a service account.
    /// </summary>
    public string? ProbeUser { get; set; }

    /// <summary>HTTP client for the token endpoint; default a client owned by the checker.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Clock for <c>lastChecked</c>, latencies, timeouts and the interval.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The S3 probe (default <see cref="S3HealthProbe.ListBucketsAsync"/>): returns healthy and a message, or throws.</summary>
    public Func<DataTransferSettings, TimeSpan, CancellationToken, Task<(bool Healthy, string Message)>>? S3Probe { get; set; }
}
