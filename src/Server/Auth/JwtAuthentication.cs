using Firecrest.Core.Configuration;
using Firecrest.Server.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Auth;

/// <summary>
/// Bearer token validation: signature against the configured JWKS, expiry with at least <c>min_token_ttl</c> left, the
/// user name from <c>username_claim</c>; beyond upstream, the JWKS is refreshed and issuer and audience are checked when
/// configured (see docs/differences.md).
/// </summary>
public static class JwtAuthentication
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>Registers JwtBearer, configured from <see cref="FirecrestSettings"/> in DI.</summary>
    public static IServiceCollection AddFirecrestAuthentication(this IServiceCollection services)
    {
        services.AddHttpClient(JwksKeyStore.HttpClientName);
        services.AddSingleton<JwksKeyStore>();
        services.AddHostedService<JwksWarmup>();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        WithoutKeyRingAtStart(services);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<FirecrestSettings, JwksKeyStore, ValidatedTokenCache>(Configure);
        services.AddAuthorization();
        return services;
    }

    // Set by UseAuthentication: WebApplication puts its own AuthenticationMiddleware in front of the pipeline unless
    // this key says the pipeline has one (CachedTokenAuthenticationMiddleware wraps it).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>Authenticates requests: <see cref="CachedTokenAuthenticationMiddleware"/> in place of <c>UseAuthentication</c>.</summary>
    public static IApplicationBuilder UseFirecrestAuthentication(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseMiddleware<CachedTokenAuthenticationMiddleware>();
    }

    /// <summary>
    /// Authentication brings ASP.NET Core data protection, whose hosted service loads the key ring before the listener
    /// opens: on a first start (every container start) it writes a master key under the service user's home and logs
    /// that the key may be stored unencrypted. Bearer tokens never use it and nothing else in the server does, so the
    /// ring is left to load on first use, which never comes.
    /// </summary>
    private static void WithoutKeyRingAtStart(IServiceCollection services)
    {
        var keyRingWarmup = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (keyRingWarmup is not null) services.Remove(keyRingWarmup);
    }

    private static void Configure(JwtBearerOptions options, FirecrestSettings settings, JwksKeyStore keys, ValidatedTokenCache cache)
    {
        var auth = settings.Auth.Authentication;
        options.MapInboundClaims = false;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new CachingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }, cache, keys, auth.MinTokenTtl));
        options.RequireHttpsMetadata = false;
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrEmpty(auth.Issuer),
            ValidIssuer = auth.Issuer,
            ValidateAudience = !string.IsNullOrEmpty(auth.Audience),
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
            NameClaimType = auth.UsernameClaim,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Find(kid),
            ValidAlgorithms = ValidAlgorithms(auth.JwkAlgorithm),
            TypeValidator = (type, _, _) => ValidateType(type),
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = async ctx =>
            {
                RequestUser.SetUsernameClaim(ctx.HttpContext, auth.UsernameClaim);
                var token = RequestUser.BearerToken(ctx.HttpContext);
                if (string.IsNullOrEmpty(token)) return;
                // A cached token needs no key lookup: only the periodic refresh (which may change the key set and so empty the cache).
                string? kid = null;
                if (!cache.TryGet(token, keys.Generation, out _))
                {
                    try { kid = new JsonWebToken(token).Kid; } catch (ArgumentException) { /* not a JWT: validation refuses it */ }
                }
                await keys.EnsureFreshAsync(kid, ctx.HttpContext.RequestAborted);
            },
            OnTokenValidated = ctx =>
            {
                var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                var remaining = ctx.SecurityToken.ValidTo - now;
                if (remaining < TimeSpan.FromSeconds(auth.MinTokenTtl))
                    ctx.Fail(new TokenRejectedException($"Access token expires too soon (less than {auth.MinTokenTtl}s remaining)."));
                return Task.CompletedTask;
            },
            OnChallenge = async ctx =>
            {
                ctx.HandleResponse();
                var hadToken = RequestUser.BearerToken(ctx.HttpContext) is not null;
                // MCP clients discover the issuer from this challenge; the REST API keeps the bare one.
                ctx.Response.Headers.WWWAuthenticate = Hosting.McpAuthorization.IsMcpRequest(ctx.HttpContext)
                    ? Hosting.McpAuthorization.Challenge(ctx.HttpContext, hadToken) : "Bearer";
                await ErrorWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized,
                    new ApiError(ApiError.Error, MessageFor(ctx.AuthenticateFailure, hadToken)));
            },
        };
    }

    /// <summary>
    /// The signature algorithms accepted: the configured <c>jwk_algorithm</c> alone, else the asymmetric JWS algorithms
    /// (never <c>none</c> or the HMAC ones, whose key would be the public one).
    /// </summary>
    internal static string[] ValidAlgorithms(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
            : [configured.Trim()];

    /// <summary>The <c>typ</c> header, when the issuer sets one, must name an access token or a plain JWT (RFC 9068, RFC 7519).</summary>
    internal static string ValidateType(string? type) =>
        string.IsNullOrEmpty(type) || type.ToLowerInvariant() is "jwt" or "at+jwt" or "application/at+jwt" or "application/jwt"
            ? type ?? ""
            : throw new SecurityTokenInvalidTypeException($"Token type '{type}' is not an access token.") { InvalidType = type };

    /// <summary>The upstream message for an authentication failure.</summary>
    internal static string MessageFor(Exception? failure, bool hadToken) => failure switch
    {
        null when !hadToken => "Not authenticated",
        TokenRejectedException r => r.Message,
        SecurityTokenExpiredException => "Access token expired",
        SecurityTokenSignatureKeyNotFoundException => "Token's public key not found.",
        _ => "Access token is invalid.",
    };

    // No scheme named: the bearer scheme is the default one, so the authentication middleware has already set the user,
    // and a policy naming the scheme would make the authorization middleware authenticate every request a second time.
    private static readonly Microsoft.AspNetCore.Authorization.AuthorizationPolicy AuthenticatedUser =
        new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    /// <summary>Requires an authenticated caller (bearer token) on every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder RequireFirecrestUser<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AuthenticatedUser);
}
