using System.Diagnostics;
using System.Globalization;
using Firecrest.Core.Configuration;
using Firecrest.Server.Auth;
using Firecrest.Server.Hosting;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Adds <c>F7T-Timestamp</c>, <c>F7T-AppVersion</c>, <c>F7T-AuthUsername</c> (when authenticated) and echoes or generates
/// <c>X-Request-ID</c> and <c>X-Correlation-ID</c> (uuid hex; a value that is not a UUID is replaced), which the SSH key
/// services called for this request also receive; security headers on every answer: <c>X-Content-Type-Options: nosniff</c>,
/// <c>Cache-Control: no-store</c>, a deny-all Content-Security-Policy (the documentation pages get
/// <see cref="Hosting.DocsContentSecurityPolicy"/>), no <c>Server</c>. The two ids also tag the request's span
/// (<c>firecrest.request_id</c>, <c>firecrest.correlation_id</c>) and open a log scope, so every log line written while
/// the request runs names them.
/// </summary>
public sealed class ResponseHeadersMiddleware(RequestDelegate next, TimeProvider time, FirecrestSettings settings, ILogger<ResponseHeadersMiddleware> logger)
{
    private readonly string _docsPolicy = DocsContentSecurityPolicy.For(settings);

    /// <summary>The version the API reports, as upstream.</summary>
    public const string AppVersion = "2.x.x";

    /// <summary>Request id header.</summary>
    public const string RequestIdHeader = "X-Request-ID";

    /// <summary>Correlation id header.</summary>
    public const string CorrelationIdHeader = "X-Correlation-ID";

    private const string RequestIdItem = "firecrest.request-id";

    private const string CorrelationIdItem = "firecrest.correlation-id";

    /// <summary>Span attribute of the request id.</summary>
    public const string RequestIdTag = "firecrest.request_id";

    /// <summary>Span attribute of the correlation id.</summary>
    public const string CorrelationIdTag = "firecrest.correlation_id";

    /// <summary>The request id of <paramref name="context"/>.</summary>
    public static string? RequestId(HttpContext context) => context.Items[RequestIdItem] as string;

    /// <summary>The correlation id of <paramref name="context"/>.</summary>
    public static string? CorrelationId(HttpContext context) => context.Items[CorrelationIdItem] as string;

    /// <summary>Sets the ids and registers the headers.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = IdFrom(context.Request.Headers[RequestIdHeader]);
        var correlationId = IdFrom(context.Request.Headers[CorrelationIdHeader]);
        context.Items[RequestIdItem] = requestId;
        context.Items[CorrelationIdItem] = correlationId;
        Firecrest.Core.Ssh.Credentials.RequestIds.Set(requestId, correlationId);
        Activity.Current?.SetTag(RequestIdTag, requestId).SetTag(CorrelationIdTag, correlationId);
        using var scope = logger.BeginScope(new KeyValuePair<string, object>[] { new("request_id", requestId), new("correlation_id", correlationId) });
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["F7T-Timestamp"] = (time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("0.000###", CultureInfo.InvariantCulture);
            headers["F7T-AppVersion"] = AppVersion;
            headers[RequestIdHeader] = requestId;
            headers[CorrelationIdHeader] = correlationId;
            if (RequestUser.TryGetUsername(context) is { } user) headers["F7T-AuthUsername"] = user;
            headers.XContentTypeOptions = "nosniff";
            // Answers carry users' files, job data and tokens' results: no shared or private cache may keep them.
            if (!headers.ContainsKey("Cache-Control")) headers.CacheControl = "no-store";
            if (!headers.ContainsKey("Content-Security-Policy"))
                headers.ContentSecurityPolicy = DocsContentSecurityPolicy.Covers(context.Request.Path) ? _docsPolicy : "default-src 'none'; frame-ancestors 'none'";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        await next(context); // async, so that the ids set above stay scoped to this request
    }

    private static string IdFrom(string? value) =>
        Guid.TryParse(value, out var id) ? value! : Guid.NewGuid().ToString("N");
}
