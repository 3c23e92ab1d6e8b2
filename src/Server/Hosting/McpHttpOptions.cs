namespace Firecrest.Server.Hosting;

/// <summary>
/// Settings of MCP over HTTP at <c>/mcp</c> (configuration section <c>Mcp</c>, beside the tool limits of
/// <see cref="Firecrest.Mcp.McpToolOptions"/>; e.g. environment <c>Mcp__AllowedOrigins__0</c>).
/// </summary>
public sealed class McpHttpOptions
{
    /// <summary>
    /// Browser origins (<c>scheme://host[:port]</c>) whose requests <c>/mcp</c> accepts. A request without an
    /// <c>Origin</c> header (any non-browser client) is always accepted; one with an origin not listed gets 403, so a web
    /// page cannot drive the tools through the user's browser (DNS rebinding). <c>*</c> accepts every origin.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The public URL of the MCP endpoint (the protected resource), when the server sits behind a proxy that changes
    /// scheme, host or path; default: the URL the request arrived at.
    /// </summary>
    public string? ResourceUrl { get; set; }

    /// <summary>
    /// The OAuth authorization server that issues tokens for <c>/mcp</c>; default: <c>auth.authentication.issuer</c>,
    /// else the origin of <c>auth.authentication.token_url</c>.
    /// </summary>
    public string? AuthorizationServer { get; set; }
}
