using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrest.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Integration.Tests.Smoke;

/// <summary>The OIDC issuer hands out tokens that validate against its JWKS and name the cluster user.</summary>
public sealed class OidcSmokeTests
{
    private static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string id, string secret)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, TestCluster.Current["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        return await http.SendAsync(req);
    }

    [Theory]
    [InlineData("DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "fireuser")]
    [InlineData("DEMO_CLIENT2_ID", "DEMO_CLIENT2_SECRET", "fireuser2")]
    public async Task Token_validates_against_the_jwks_and_carries_the_cluster_user(string idKey, string secretKey, string user)
    {
        var c = TestCluster.Current;
        using var http = new HttpClient();
        using var resp = await RequestTokenAsync(http, c[idKey], c[secretKey]);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        var token = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        var jwks = new JsonWebKeySet(await http.GetStringAsync(c["OIDC_JWKS_URL"]));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = c["OIDC_ISSUER"],
            ValidAudience = c["OIDC_AUDIENCE"],
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ClockSkew = TimeSpan.FromSeconds(5),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(user, result.Claims["preferred_username"]);
    }

    [Fact]
    public async Task Wrong_client_secret_is_refused()
    {
        using var http = new HttpClient();
        using var resp = await RequestTokenAsync(http, TestCluster.Current["DEMO_CLIENT_ID"], "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, resp.StatusCode);
    }
}
