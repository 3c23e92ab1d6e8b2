using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Auth;

/// <summary>
/// The JWT handler of the bearer scheme: full validation by <see cref="JsonWebTokenHandler"/> (signature, expiry, issuer,
/// audience) the first time a token string is seen, then its result from <see cref="ValidatedTokenCache"/> until the
/// token's expiry minus <c>min_token_ttl</c> or a change of the JWKS key set. Every hit gets its own copy of the identity.
/// </summary>
public sealed class CachingTokenHandler(JsonWebTokenHandler inner, ValidatedTokenCache cache, JwksKeyStore keys, int minTokenTtlSeconds) : TokenHandler
{
    /// <inheritdoc/>
    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    /// <inheritdoc/>
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var generation = keys.Generation;
        if (cache.TryGet(token, generation, out var hit)) return Copy(hit);
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid || result.SecurityToken is not { } validated || validated.ValidTo == DateTime.MinValue) return result;
        var expires = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
        cache.Add(token, result, expires - TimeSpan.FromSeconds(Math.Max(0, minTokenTtlSeconds)), generation);
        return Copy(result);
    }

    private static TokenValidationResult Copy(TokenValidationResult r) => new()
    {
        IsValid = true,
        SecurityToken = r.SecurityToken,
        ClaimsIdentity = r.ClaimsIdentity.Clone(),
        Issuer = r.Issuer,
        TokenType = r.TokenType,
    };

    /// <inheritdoc/>
    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        inner.ValidateTokenAsync(token, validationParameters);
}
