using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Tests.Infrastructure;

/// <summary>A signing key of the tests, published as a JWKS file, and tokens signed with it.</summary>
public sealed class TestTokens : IDisposable
{
    public const string Issuer = "http://test-issuer";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly TimeProvider _clock;

    /// <param name="clock">The clock a token's issue and expiry times are read from: the server's, when a test drives it.</param>
    public TestTokens(string kid = "test-key", TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Key = new RsaSecurityKey(_rsa) { KeyId = kid };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = kid });
        JwksPath = Path.Combine(Path.GetTempPath(), $"f7t-jwks-{Guid.NewGuid():N}.json");
        File.WriteAllText(JwksPath, JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }));
    }

    public RsaSecurityKey Key { get; }
    public string JwksPath { get; }
    public string JwksUrl => new Uri(JwksPath).AbsoluteUri;

    /// <summary>A token for <paramref name="user"/> (null: no username claim) expiring in <paramref name="lifetime"/>.</summary>
    public string Create(string? user = "fireuser", TimeSpan? lifetime = null, string issuer = Issuer, string audience = "firecrest-api", SecurityKey? key = null, string? type = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var exp = now + (lifetime ?? TimeSpan.FromMinutes(5));
        var claims = new Dictionary<string, object> { ["sub"] = user ?? "svc" };
        if (user is not null) claims["preferred_username"] = user;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = exp < now ? exp.AddMinutes(-10) : now,
            NotBefore = exp < now ? exp.AddMinutes(-10) : now,
            Expires = exp,
            SigningCredentials = new SigningCredentials(key ?? Key, algorithm),
            TokenType = type,
        });
    }

    public void Dispose()
    {
        _rsa.Dispose();
        try { File.Delete(JwksPath); } catch (IOException) { }
    }
}
