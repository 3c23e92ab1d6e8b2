using Firecrest.Core;
using Firecrest.Core.Configuration;

namespace Firecrest.Server.Auth;

/// <summary>The caller of a request as the engine sees it.</summary>
public static class RequestUser
{
    private const string ClaimItemKey = "firecrest.username-claim";

    /// <summary>Remembers which claim holds the user name (set by the token validation).</summary>
    internal static void SetUsernameClaim(HttpContext context, string claim) => context.Items[ClaimItemKey] = claim;

    /// <summary>The authenticated user name, or null.</summary>
    public static string? TryGetUsername(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true) return null;
        var claim = context.Items[ClaimItemKey] as string ?? "preferred_username";
        return context.User.FindFirst(claim)?.Value;
    }

    /// <summary>The identity passed to the engine: user name from <c>username_claim</c> and the raw access token.</summary>
    /// <exception cref="HpcException">400 when the claim is missing, 401 when the request is not authenticated.</exception>
    public static UserIdentity Resolve(HttpContext context, FirecrestSettings settings) =>
        new(Username(context, settings), BearerToken(context));

    /// <summary>The user name from <c>username_claim</c>, with the checks of <see cref="Resolve"/>.</summary>
    /// <exception cref="HpcException">400 when the claim is missing, 401 when the request is not authenticated.</exception>
    public static string Username(HttpContext context, FirecrestSettings settings)
    {
        if (context.User.Identity?.IsAuthenticated != true)
            throw new HpcException(HpcErrorKind.Unauthenticated, "Not authenticated");
        var claim = settings.Auth.Authentication.UsernameClaim;
        var name = context.User.FindFirst(claim)?.Value;
        if (string.IsNullOrEmpty(name))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"Authentication token '{claim}' claim is missing");
        return name;
    }

    /// <summary>The bearer token of the request, or null.</summary>
    public static string? BearerToken(HttpContext context) =>
        TryGetBearerToken(context, out var token) ? token.ToString() : null;

    /// <summary>True when the request carries a non-empty bearer token (not copied).</summary>
    public static bool HasBearerToken(HttpContext context) => TryGetBearerToken(context, out var token) && !token.IsEmpty;

    /// <summary>
    /// The bearer token of the request as a view of its <c>Authorization</c> header (empty when the header names another
    /// scheme or none): the checks made on every request read the token without copying it.
    /// </summary>
    public static bool TryGetBearerToken(HttpContext context, out ReadOnlySpan<char> token)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = default;
            return false;
        }
        token = header.AsSpan(7).Trim();
        return true;
    }
}
