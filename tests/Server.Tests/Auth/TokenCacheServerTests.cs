using System.Net.Http.Headers;
using System.Text;
using Firecrest.Server.Auth;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Tests.Auth;

/// <summary>The validated-token cache never accepts a token that full validation would refuse.</summary>
public sealed class TokenCacheServerTests : IDisposable
{
    // Starts at the real time: the tokens' exp is real, and the clock only moves forward from there.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly FirecrestFactory _f;

    public TokenCacheServerTests() => _f = new(s =>
    {
        s.Auth.Authorization = null;
        s.Auth.Authentication.JwksRefreshInterval = 1;
    }, clock: _clock);

    public void Dispose() => _f.Dispose();

    private async Task<HttpResponseMessage> Get(string token)
    {
        var client = _f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/status/systems");
    }

    [Fact]
    public async Task Valid_token_is_cached_and_answered_again()
    {
        var token = _f.Tokens.Create();
        await (await Get(token)).AssertStatus(200);
        Assert.Equal(1, _f.Services.GetRequiredService<ValidatedTokenCache>().Count);
        await (await Get(token)).AssertStatus(200);
    }

    [Fact]
    public async Task Cached_token_sets_the_user_without_the_bearer_scheme_and_a_new_token_goes_through_it()
    {
        var validations = 0;
        using var factory = _f.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                var inner = o.Events.OnMessageReceived;
                o.Events.OnMessageReceived = c =>
                {
                    Interlocked.Increment(ref validations);
                    return inner(c);
                };
            })));
        async Task<HttpResponseMessage> GetAs(string token)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await client.GetAsync("/status/systems");
        }

        var alice = _f.Tokens.Create(user: "alice");
        var first = await GetAs(alice);
        await first.AssertStatus(200);
        Assert.Equal(1, validations);
        var again = await GetAs(alice);
        await again.AssertStatus(200);
        Assert.Equal(1, validations);
        Assert.Equal("alice", again.Headers.GetValues("F7T-AuthUsername").Single());

        var bob = _f.Tokens.Create(user: "bob");
        var other = await GetAs(bob);
        await other.AssertStatus(200);
        Assert.Equal(2, validations);
        Assert.Equal("bob", other.Headers.GetValues("F7T-AuthUsername").Single());
        var signatureAt = alice.LastIndexOf('.') + 5;
        var tampered = alice[..signatureAt] + (alice[signatureAt] == 'A' ? 'B' : 'A') + alice[(signatureAt + 1)..];
        await (await GetAs(tampered)).AssertError(401);
        Assert.Equal(3, validations);
    }

    [Fact]
    public async Task Tampered_token_is_refused_after_the_valid_one_was_cached()
    {
        var token = _f.Tokens.Create();
        await (await Get(token)).AssertStatus(200);
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("fireuser", "root");
        await (await Get($"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}")).AssertError(401);
        var signature = parts[2].ToCharArray();
        signature[5] = signature[5] == 'A' ? 'B' : 'A';
        await (await Get($"{parts[0]}.{parts[1]}.{new string(signature)}")).AssertError(401);
        await (await Get(token)).AssertStatus(200);
    }

    [Fact]
    public async Task Expired_token_is_refused_after_a_valid_one_was_cached()
    {
        await (await Get(_f.Tokens.Create())).AssertStatus(200);
        await (await Get(_f.Tokens.Create(lifetime: TimeSpan.FromMinutes(-1)))).AssertError(401, "Access token expired");
    }

    [Fact]
    public async Task Cached_token_is_refused_once_it_comes_within_min_token_ttl()
    {
        // min_token_ttl is 30 s: a token with 33 s left is accepted (and cached) now, refused once 29 s are left.
        var token = _f.Tokens.Create(lifetime: TimeSpan.FromSeconds(33));
        await (await Get(token)).AssertStatus(200);
        var exp = new DateTimeOffset(DateTime.SpecifyKind(new JsonWebToken(token).ValidTo, DateTimeKind.Utc));
        _clock.SetUtcNow(exp - TimeSpan.FromSeconds(29));
        await (await Get(token)).AssertError(401, "Access token expires too soon (less than 30s remaining).");
    }

    [Fact]
    public async Task Key_rotation_invalidates_the_cached_token()
    {
        var token = _f.Tokens.Create();
        await (await Get(token)).AssertStatus(200);
        var keys = _f.Services.GetRequiredService<JwksKeyStore>();
        var generation = keys.Generation;
        using var rotated = new TestTokens("rotated-key");
        File.Copy(rotated.JwksPath, _f.Tokens.JwksPath, overwrite: true);
        _clock.Advance(TimeSpan.FromSeconds(1.2)); // past the jwks_refresh_interval of this server
        await (await Get(token)).AssertError(401, "Token's public key not found.");
        Assert.True(keys.Generation > generation);
        await (await Get(rotated.Create())).AssertStatus(200);
    }
}
