using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Firecrest.Core.Configuration;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Server.Tests.Auth;

/// <summary>Token rules with the tests' own key, published through a file:// JWKS.</summary>
public sealed class LocalTokenTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly FirecrestFactory _f;

    public LocalTokenTests() => _f = new(s => s.Auth.Authorization = null, clock: _clock);

    public void Dispose() => _f.Dispose();

    private async Task<HttpResponseMessage> Get(string token, string url = "/status/cluster/nodes")
    {
        var client = _f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(url);
    }

    [Fact]
    public async Task Valid_token_reaches_the_engine_as_its_user_with_the_raw_token()
    {
        var token = _f.Tokens.Create("fireuser2");
        await (await Get(token)).AssertStatus(200);
        Assert.Equal("fireuser2", _f.Engine.Last("GetNodes").User.Username);
        Assert.Equal(token, _f.Engine.Last("GetNodes").User.AccessToken);
    }

    [Fact]
    public async Task Expired_token_is_401_Access_token_expired() =>
        await (await Get(_f.Tokens.Create(lifetime: TimeSpan.FromMinutes(-5)))).AssertError(401, "Access token expired");

    [Fact]
    public async Task Token_expiring_within_min_token_ttl_is_401() =>
        await (await Get(_f.Tokens.Create(lifetime: TimeSpan.FromSeconds(20)))).AssertError(401, "Access token expires too soon (less than 30s remaining).");

    [Fact]
    public async Task Token_signed_by_a_foreign_key_is_401()
    {
        using var rsa = RSA.Create(2048);
        await (await Get(_f.Tokens.Create(key: new RsaSecurityKey(rsa) { KeyId = "foreign" }))).AssertError(401, "Token's public key not found.");
    }

    [Fact]
    public async Task Token_without_the_username_claim_is_400() =>
        await (await Get(_f.Tokens.Create(user: null))).AssertError(400, "Authentication token 'preferred_username' claim is missing");

    [Fact]
    public async Task Garbage_token_is_401_Access_token_is_invalid() =>
        await (await Get("not-a-jwt")).AssertError(401, "Access token is invalid.");

    [Fact]
    public async Task Wrong_audience_and_wrong_issuer_are_401()
    {
        await (await Get(_f.Tokens.Create(audience: "other-api"))).AssertError(401, "Access token is invalid.");
        await (await Get(_f.Tokens.Create(issuer: "http://evil"))).AssertError(401, "Access token is invalid.");
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_401()
    {
        static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var token = B64("""{"alg":"none","typ":"JWT"}""") + "." +
            B64($$"""{"iss":"{{TestTokens.Issuer}}","aud":"firecrest-api","exp":{{exp}},"preferred_username":"root"}""") + ".";
        await (await Get(token)).AssertError(401);
        Assert.Equal(0, _f.Engine.Count("GetNodes"));
    }

    [Theory]
    [InlineData("JWT", 200)]
    [InlineData("at+jwt", 200)]
    [InlineData("logout+jwt", 401)]
    [InlineData("id_token+jwt", 401)]
    public async Task Typ_header_when_set_must_name_an_access_token(string type, int status)
    {
        var response = await Get(_f.Tokens.Create(type: type));
        if (status == 200) await response.AssertStatus(200);
        else await response.AssertError(401);
    }

    [Fact]
    public void Algorithms_are_pinned_to_the_configured_one_or_the_asymmetric_set()
    {
        Assert.Equal(["RS256"], Firecrest.Server.Auth.JwtAuthentication.ValidAlgorithms("RS256"));
        var defaults = Firecrest.Server.Auth.JwtAuthentication.ValidAlgorithms(null);
        Assert.Contains("RS256", defaults);
        Assert.DoesNotContain(defaults, a => a.StartsWith("HS", StringComparison.Ordinal) || a == "none");
    }

    [Fact]
    public async Task Tampered_payload_is_401()
    {
        var parts = _f.Tokens.Create().Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("fireuser", "root");
        await (await Get($"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}")).AssertError(401);
        Assert.Equal(0, _f.Engine.Count("GetNodes"));
    }

    [Fact]
    public async Task A_key_added_to_the_jwks_later_is_picked_up_on_its_unknown_kid()
    {
        await (await Get(_f.Tokens.Create())).AssertStatus(200);
        using var second = new TestTokens("second-key", _clock);
        File.Copy(second.JwksPath, _f.Tokens.JwksPath, overwrite: true);
        _clock.Advance(TimeSpan.FromSeconds(5.5)); // past the unknown-kid reload cooldown
        await (await Get(second.Create())).AssertStatus(200);
    }
}
