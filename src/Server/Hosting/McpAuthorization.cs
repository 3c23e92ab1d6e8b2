using System.Text.Json.Serialization;
using Firecrest.Core.Configuration;
using Firecrest.Server.Apis;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Hosting;

/// <summary>
/// The MCP authorization contract of <c>/mcp</c>: OAuth 2.0 Protected Resource Metadata (RFC 9728) at
/// <c>/.well-known/oauth-protected-resource</c> and its path-suffixed form <c>/.well-known/oauth-protected-resource/mcp</c>,
/// the <c>WWW-Authenticate</c> challenge that points to it, and the <c>Origin</c> check.
/// </summary>
public static class McpAuthorization
{
    /// <summary>Where the metadata is served (RFC 9728 well-known prefix).</summary>
    public const string MetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>Maps the metadata documents (no authentication: clients read them before they have a token).</summary>
    public static WebApplication MapMcpResourceMetadata(this WebApplication app)
    {
        app.MapGet(MetadataPath, Metadata).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(MetadataPath + McpEndpoint.Route, Metadata).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The metadata: the <c>/mcp</c> URL as <c>resource</c>, the issuer, the configured scopes.</summary>
    internal static IResult Metadata(HttpContext context, FirecrestSettings settings, IOptions<McpHttpOptions> options)
    {
        var auth = settings.Auth.Authentication;
        var issuer = AuthorizationServer(settings, options.Value);
        var document = new ProtectedResourceMetadata(ResourceUrl(context, options.Value), issuer is null ? [] : [issuer],
            auth.Scopes.Keys.ToArray(), ["header"], "FirecREST MCP");
        return TypedResults.Json(document, ServerJsonContext.Default.ProtectedResourceMetadata);
    }

    /// <summary>
    /// The challenge of a 401 from <c>/mcp</c> (RFC 9728 §5.1, RFC 6750 §3): where the metadata is, the scopes, and
    /// <c>error="invalid_token"</c> when a token was sent (a request without one gets no error code).
    /// </summary>
    public static string Challenge(HttpContext context, bool hadToken)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<McpHttpOptions>>().Value;
        var resource = new Uri(ResourceUrl(context, options));
        var metadata = new UriBuilder(resource) { Path = MetadataPath + resource.AbsolutePath.TrimEnd('/') }.Uri.ToString();
        var header = $"Bearer resource_metadata=\"{metadata}\"";
        var scopes = context.RequestServices.GetRequiredService<FirecrestSettings>().Auth.Authentication.Scopes.Keys;
        if (scopes.Count > 0) header += $", scope=\"{string.Join(' ', scopes)}\"";
        if (hadToken) header += ", error=\"invalid_token\"";
        return header;
    }

    /// <summary>True for a request to <c>/mcp</c>.</summary>
    public static bool IsMcpRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(McpEndpoint.Route, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Refuses (403, JSON-RPC error without id) a request to <c>/mcp</c> whose <c>Origin</c> is not allowed by
    /// <see cref="McpHttpOptions.AllowedOrigins"/>; requests without the header pass.
    /// </summary>
    public static WebApplication UseMcpOriginCheck(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsMcpRequest(context) && context.Request.Headers.Origin is { Count: > 0 } origins)
            {
                var allowed = context.RequestServices.GetRequiredService<IOptions<McpHttpOptions>>().Value.AllowedOrigins;
                var origin = origins.ToString();
                if (!allowed.Any(a => a == "*" || string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.Response.WriteAsJsonAsync(new JsonRpcErrorAnswer("2.0", new JsonRpcError(-32600,
                        $"Origin '{origin}' is not allowed for /mcp; the server's Mcp:AllowedOrigins setting lists the allowed ones.")),
                        ServerJsonContext.Default.JsonRpcErrorAnswer);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    private static string ResourceUrl(HttpContext context, McpHttpOptions options) =>
        !string.IsNullOrWhiteSpace(options.ResourceUrl) ? options.ResourceUrl.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{McpEndpoint.Route}";

    private static string? AuthorizationServer(FirecrestSettings settings, McpHttpOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.AuthorizationServer)) return options.AuthorizationServer;
        var auth = settings.Auth.Authentication;
        if (!string.IsNullOrWhiteSpace(auth.Issuer)) return auth.Issuer;
        return Uri.TryCreate(auth.TokenUrl, UriKind.Absolute, out var token) ? token.GetLeftPart(UriPartial.Authority) : null;
    }

    /// <summary>The protected resource metadata document (RFC 9728 §2), with its snake_case member names.</summary>
    internal sealed record ProtectedResourceMetadata(
        [property: JsonPropertyName("resource")] string Resource,
        [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
        [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
        [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
        [property: JsonPropertyName("resource_name")] string ResourceName);

    /// <summary>A JSON-RPC error answer without an id: <c>{"jsonrpc":"2.0","error":{"code":…,"message":…}}</c>.</summary>
    internal sealed record JsonRpcErrorAnswer(
        [property: JsonPropertyName("jsonrpc")] string JsonRpc,
        [property: JsonPropertyName("error")] JsonRpcError Error);

    /// <summary>The <c>error</c> of <see cref="JsonRpcErrorAnswer"/>.</summary>
    internal sealed record JsonRpcError(
        [property: JsonPropertyName("code")] int Code,
        [property: JsonPropertyName("message")] string Message);
}
