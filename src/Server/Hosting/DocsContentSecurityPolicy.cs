using Firecrest.Core.Configuration;

namespace Firecrest.Server.Hosting;

/// <summary>
/// The Content-Security-Policy of the documentation pages (<c>/docs</c>, Swagger UI; <c>/redoc</c>, ReDoc). Every other
/// answer gets a deny-all policy. Scripts load only from the server itself (the pages have no inline script); styles
/// may be inline because both renderers set them at run time; the only other origin reachable is the token URL, so that
/// "Authorize" with client credentials works from the page.
/// </summary>
public static class DocsContentSecurityPolicy
{
    /// <summary>Whether <paramref name="path"/> (without the path base) is one of the documentation pages or their assets.</summary>
    public static bool Covers(PathString path) =>
        path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/redoc", StringComparison.OrdinalIgnoreCase);

    /// <summary>The policy, with the origin of the configured token URL allowed for fetches.</summary>
    public static string For(FirecrestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connect = "'self'";
        if (Uri.TryCreate(settings.Auth?.Authentication?.TokenUrl, UriKind.Absolute, out var token) && token.Scheme is "http" or "https")
            connect += " " + token.GetLeftPart(UriPartial.Authority);
        return "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            $"connect-src {connect}; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }
}
