namespace Firecrest.Server.Hosting;

/// <summary>Server-only settings (configuration section <c>Server</c>): rate limits, body sizes, the health checker's start.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Server";

    /// <summary>Requests per second granted to each user (token bucket refill).</summary>
    public int RateLimitPerSecond { get; set; } = 100;

    /// <summary>Burst size of each user's bucket.</summary>
    public int RateLimitBurst { get; set; } = 200;

    /// <summary>
    /// Token-less or refused (401) requests per second granted to each client address before authentication
    /// (token bucket refill); 0 turns this limit off.
    /// </summary>
    public int PreAuthRateLimitPerSecond { get; set; } = 20;

    /// <summary>Burst size of each client address's pre-authentication bucket.</summary>
    public int PreAuthRateLimitBurst { get; set; } = 200;

    /// <summary>Largest request body in bytes on every route but <c>ops/upload</c> (JSON bodies); larger → 413.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>Bytes allowed on <c>ops/upload</c> beyond the system's <c>max_ops_file_size</c> (multipart framing and headers).</summary>
    public long UploadBodyOverhead { get; set; } = 1024 * 1024;

    /// <summary>
    /// Seconds from the moment the server listens to the health checker's first run (0: at once). The first run opens
    /// SSH connections and an S3 client; deferred, it does not slow the first requests after a start. Readiness
    /// answers 503 until that run ends.
    /// </summary>
    public double HealthCheckStartDelaySeconds { get; set; } = 1;
}
