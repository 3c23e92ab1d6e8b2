using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Tests.Auth;

/// <summary>Tokens of the local cluster's real OIDC issuer (cluster.env: OIDC_*), validated over its http JWKS.</summary>
[Trait("Category", "Cluster")] // needs the local test cluster (build.ps1 test -Unit leaves it out)
public sealed class OidcIssuerTests
{
    private static TestCluster Cluster => TestCluster.Current;

    private static FirecrestFactory Server(string? issuer = null, string? audience = null) => new(s =>
    {
        s.Auth.Authentication.PublicCerts = [Cluster["OIDC_JWKS_URL"]];
        s.Auth.Authentication.Issuer = issuer ?? Cluster["OIDC_ISSUER"];
        s.Auth.Authentication.Audience = audience ?? Cluster["OIDC_AUDIENCE"];
    });

    private static async Task<string> TokenAsync(string clientId, string secret)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Cluster["OIDC_TOKEN_URL"])
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> GetNodes(FirecrestFactory f, string token)
    {
        var client = f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/status/cluster/nodes");
    }

    [Fact]
    public async Task Issuer_token_of_the_demo_client_reaches_the_engine_as_fireuser()
    {
        using var f = Server();
        await (await GetNodes(f, await TokenAsync(Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]))).AssertStatus(200);
        Assert.Equal("fireuser", f.Engine.Last("GetNodes").User.Username);
    }

    [Fact]
    public async Task Issuer_token_of_the_second_client_is_fireuser2()
    {
        using var f = Server();
        await (await GetNodes(f, await TokenAsync(Cluster["DEMO_CLIENT2_ID"], Cluster["DEMO_CLIENT2_SECRET"]))).AssertStatus(200);
        Assert.Equal("fireuser2", f.Engine.Last("GetNodes").User.Username);
    }

    [Fact]
    public async Task Server_expecting_another_audience_refuses_the_token()
    {
        using var f = Server(audience: "other-api");
        await (await GetNodes(f, await TokenAsync(Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]))).AssertError(401, "Access token is invalid.");
        Assert.Equal(0, f.Engine.Count("GetNodes"));
    }

    [Fact]
    public async Task Server_expecting_another_issuer_refuses_the_token()
    {
        using var f = Server(issuer: Cluster["OIDC_ISSUER"].Replace("127.0.0.1", "localhost"));
        await (await GetNodes(f, await TokenAsync(Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"]))).AssertError(401);
    }

    [Fact]
    public async Task Tampered_issuer_token_is_refused()
    {
        using var f = Server();
        var parts = (await TokenAsync(Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"])).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"fireuser\"", "\"fireuser2\"");
        await (await GetNodes(f, $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}")).AssertError(401);
        Assert.Equal(0, f.Engine.Count("GetNodes"));
    }

    [Fact]
    public async Task Alg_none_token_with_the_issuer_claims_is_refused()
    {
        using var f = Server();
        var parts = (await TokenAsync(Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"])).Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        await (await GetNodes(f, $"{header}.{parts[1]}.")).AssertError(401);
    }

    [Fact]
    public async Task Expired_token_signed_with_a_foreign_key_is_refused()
    {
        using var f = Server();
        using var foreign = new TestTokens("foreign");
        var token = foreign.Create(lifetime: TimeSpan.FromMinutes(-1), issuer: Cluster["OIDC_ISSUER"], audience: Cluster["OIDC_AUDIENCE"]);
        await (await GetNodes(f, token)).AssertError(401);
    }
}
