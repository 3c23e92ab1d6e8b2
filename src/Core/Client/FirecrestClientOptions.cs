namespace Firecrest.Core.Client;

/// <summary>Options of <see cref="FirecrestClient"/>.</summary>
public sealed class FirecrestClientOptions
{
    /// <summary>HTTP client to use (its BaseAddress is ignored; the caller owns it); one is created and owned by the client when null.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Retries of idempotent calls (and of submits, which carry an <c>Idempotency-Key</c>) on 408/429/503 and connection failures.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; it doubles with every retry and is jittered.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of any wait between retries, including a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock and timers used for retry waits; default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
