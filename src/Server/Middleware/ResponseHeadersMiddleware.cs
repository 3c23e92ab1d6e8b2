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
/// <see cref="Hosting.DocsContentSecurityPolicy"/>), no <c>Server</c>.
/// </summary>
public sealed class ResponseHeadersMiddleware(RequestDelegate next, TimeProvider time, FirecrestSettings settings)
{
    private readonly string _docsPolicy = DocsContentSecurityPolicy.For(settings);

    /// <summary>The version the API reports, as upstream.</summary>
    public const string AppVersion = "2.x.x";

    /// <summary>Request id header.</summary>
    public const string RequestIdHeader = "X-Request-ID";

    /// <summary>Correlation id header.</summary>
    public const string CorrelationIdHeader = "X-Correlation-ID";

    private const string RequestIdItem = "firecrest.request-id";

    /// <summary>The request id of <paramref name="context"/>.</summary>
    public static string? RequestId(HttpContext context) => context.Items[RequestIdItem] as string;

    /// <summary>Sets the ids and registers the headers.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = IdFrom(context.Request.Headers[RequestIdHeader]);
        var correlationId = IdFrom(context.Request.Headers[CorrelationIdHeader]);
        context.Items[RequestIdItem] = requestId;
        Firecrest.Core.Ssh.Credentials.RequestIds.Set(requestId, correlationId);
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
