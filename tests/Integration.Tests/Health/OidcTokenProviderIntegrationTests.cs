using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Health;

public sealed class OidcTokenProviderIntegrationTests
{
    private static readonly TestCluster Cluster = TestCluster.Current;

    [Theory]
    [InlineData("client_secret_basic")]
    [InlineData("client_secret_post")]
    public async Task Local_issuer_gives_a_token_naming_the_service_user(string method)
    {
        using var http = new HttpClient();
        var provider = new OidcClientCredentialsTokenProvider(http, Cluster["OIDC_TOKEN_URL"], Cluster["DEMO_CLIENT_ID"], Cluster["DEMO_CLIENT_SECRET"], method);

        var token = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(Cluster["SSH_USER"], JwtClaims.GetString(token, "preferred_username"));
        Assert.Equal(Cluster["OIDC_ISSUER"], JwtClaims.GetString(token, "iss"));
        Assert.InRange(JwtClaims.GetExpiry(token)!.Value, DateTimeOffset.UtcNow.AddSeconds(60), DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(token, await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Second_client_gets_a_token_for_the_second_user()
    {
        using var http = new HttpClient();
        var provider = new OidcClientCredentialsTokenProvider(http, Cluster["OIDC_TOKEN_URL"], Cluster["DEMO_CLIENT2_ID"], Cluster["DEMO_CLIENT2_SECRET"], "client_secret_post");

        var token = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(Cluster["SSH_USER2"], JwtClaims.GetString(token, "preferred_username"));
    }

    [Theory]
    [InlineData("client_secret_basic")]
    [InlineData("client_secret_post")]
    public async Task Wrong_secret_is_refused_as_unauthenticated(string method)
    {
        using var http = new HttpClient();
        var provider = new OidcClientCredentialsTokenProvider(http, Cluster["OIDC_TOKEN_URL"], Cluster["DEMO_CLIENT_ID"], "wrong-secret", method);

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(HpcErrorKind.Unauthenticated, e.Kind);
        Assert.Contains($"refused the client credentials of '{Cluster["DEMO_CLIENT_ID"]}' (invalid_client", e.Message);
    }
}
