using System.Security.Claims;
using Firecrest.Core.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Firecrest.Server.Auth;

/// <summary>
/// The authentication step of the pipeline. A bearer token found in <see cref="ValidatedTokenCache"/> (validated in
/// full earlier, still before its expiry minus <c>min_token_ttl</c>, under the JWKS key set in force after the periodic
/// refresh) sets the request's user here, with the result the bearer scheme would give; every other request goes
/// through the framework's <see cref="AuthenticationMiddleware"/>, where the bearer scheme validates the token in full
/// or finds no user. The cached path skips the scheme's per-request handler, contexts and ticket, which cost an
/// authenticated request more CPU than the rest of a small answer.
/// </summary>
public sealed class CachedTokenAuthenticationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AuthenticationMiddleware _full;
    private readonly ValidatedTokenCache _cache;
    private readonly JwksKeyStore _keys;
    private readonly string _usernameClaim;

    /// <summary>Wraps the framework's middleware, which handles every request the cache does not.</summary>
    public CachedTokenAuthenticationMiddleware(RequestDelegate next, IAuthenticationSchemeProvider schemes, ValidatedTokenCache cache,
        JwksKeyStore keys, FirecrestSettings settings)
    {
        _next = next;
        _full = new AuthenticationMiddleware(next, schemes);
        _cache = cache;
        _keys = keys;
        _usernameClaim = settings.Auth.Authentication.UsernameClaim;
    }

    /// <summary>Sets the user from the cache, or authenticates through the bearer scheme.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (!RequestUser.HasBearerToken(context)) return _full.Invoke(context);
        // The refresh that may change the key set (and so retire every cached entry) runs first, as on the full path.
        var refresh = _keys.EnsureFreshAsync(null, context.RequestAborted);
        return refresh.IsCompletedSuccessfully ? AuthenticateFromCache(context) : AfterRefreshAsync(context, refresh);
    }

    private async Task AfterRefreshAsync(HttpContext context, Task refresh)
    {
        await refresh;
        await AuthenticateFromCache(context);
    }

    private Task AuthenticateFromCache(HttpContext context)
    {
        // Read again rather than passed in: a view of the header cannot be held across the refresh's await.
        RequestUser.TryGetBearerToken(context, out var token);
        if (_cache.TryGetPrincipal(token, _keys.Generation) is not { } principal) return _full.Invoke(context);
        RequestUser.SetUsernameClaim(context, _usernameClaim);
        var features = new AuthenticatedFeatures(principal);
        context.Features.Set<IAuthenticateResultFeature>(features);
        context.Features.Set<IHttpAuthenticationFeature>(features);
        context.User = principal;
        return _next(context);
    }

    // What AuthenticationMiddleware leaves on a request it authenticated: the authorization middleware reads the result
    // from here instead of authenticating again.
    private sealed class AuthenticatedFeatures(ClaimsPrincipal principal) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        private AuthenticateResult? _result = AuthenticateResult.Success(new AuthenticationTicket(principal, JwtBearerDefaults.AuthenticationScheme));
        private ClaimsPrincipal? _user = principal;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
