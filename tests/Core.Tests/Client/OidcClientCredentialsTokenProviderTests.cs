using System.Net;
using System.Text;
using Firecrest.Core.Client;
using Firecrest.Core.Tests.Health;

namespace Firecrest.Core.Tests.Client;

public sealed class OidcClientCredentialsTokenProviderTests
{
    private const string TokenUrl = "http://127.0.0.1:1/token";
    private int _issued;

    private Task<HttpResponseMessage> Issue(HttpRequestMessage request, string body) =>
        Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK, $"{{\"access_token\":\"tok{Interlocked.Increment(ref _issued)}\",\"token_type\":\"Bearer\",\"expires_in\":300}}"));

    [Fact]
    public async Task Client_secret_basic_sends_form_encoded_credentials_in_the_authorization_header()
    {
        var handler = new FakeHttpHandler(Issue);
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "my client", "p:w&d", "client_secret_basic");

        Assert.Equal("tok1", await provider.GetTokenAsync(CancellationToken.None));

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("Basic", request.Headers.Authorization!.Scheme);
        Assert.Equal("my+client:p%3Aw%26d", Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter!)));
        Assert.Equal("grant_type=client_credentials", body);
    }

    [Fact]
    public async Task Client_secret_post_sends_the_credentials_in_the_form()
    {
        var handler = new FakeHttpHandler(Issue);
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "cid", "s&cret", "client_secret_post");

        await provider.GetTokenAsync(CancellationToken.None);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Null(request.Headers.Authorization);
        Assert.Equal("grant_type=client_credentials&client_id=cid&client_secret=s%26cret", body);
    }

    [Fact]
    public async Task Token_is_reused_until_less_than_a_minute_remains()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch.AddDays(20000));
        var handler = new FakeHttpHandler(Issue);
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "c", "s", time: clock);

        var first = await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(239));
        var second = await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var third = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(("tok1", "tok1", "tok2"), (first, second, third));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_request()
    {
        var gate = new TaskCompletionSource();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHttpHandler(async (r, b) => { requested.TrySetResult(); await gate.Task; return await Issue(r, b); });
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "c", "s");

        var first = provider.GetTokenAsync(CancellationToken.None);
        await requested.Task; // the first request is in flight and held
        var calls = Enumerable.Range(0, 7).Select(_ => Task.Run(() => provider.GetTokenAsync(CancellationToken.None))).Append(first).ToList();
        Assert.All(calls, c => Assert.False(c.IsCompleted)); // nobody has a token while the request is held
        gate.SetResult();
        var tokens = await Task.WhenAll(calls);

        Assert.All(tokens, t => Assert.Equal("tok1", t));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Expiry_comes_from_the_jwt_when_expires_in_is_missing()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var jwt = FakeHttpHandler.Jwt("{\"exp\":1800000100}");
        var handler = new FakeHttpHandler((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK, $"{{\"access_token\":\"{jwt}\"}}")));
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "c", "s", time: clock);

        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(39));
        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Refused_credentials_are_unauthenticated_with_the_endpoint_error()
    {
        var handler = new FakeHttpHandler((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.Unauthorized,
            "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}")));
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(handler), TokenUrl, "c", "bad");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(HpcErrorKind.Unauthenticated, e.Kind);
        Assert.Equal(401, e.StatusCode);
        Assert.Equal($"The token endpoint {TokenUrl} refused the client credentials of 'c' (invalid_client: unknown client or wrong secret).", e.Message);
    }

    [Fact]
    public async Task Server_errors_and_unreachable_endpoints_are_unavailable()
    {
        var failing = new OidcClientCredentialsTokenProvider(new HttpClient(new FakeHttpHandler((_, _) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>") }))), TokenUrl, "c", "s");
        var unreachable = new OidcClientCredentialsTokenProvider(new HttpClient(new FakeHttpHandler((_, _) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused")))), TokenUrl, "c", "s");

        var e1 = await Assert.ThrowsAnyAsync<HpcException>(() => failing.GetTokenAsync(CancellationToken.None));
        var e2 = await Assert.ThrowsAnyAsync<HpcException>(() => unreachable.GetTokenAsync(CancellationToken.None));

        Assert.Equal((HpcErrorKind.Unavailable, "The token endpoint http://127.0.0.1:1/token failed (HTTP 502)."), (e1.Kind, e1.Message));
        Assert.Equal((HpcErrorKind.Unavailable, "The token endpoint http://127.0.0.1:1/token could not be reached: Connection refused"), (e2.Kind, e2.Message));
    }

    [Fact]
    public async Task An_answer_without_access_token_is_an_internal_error()
    {
        var provider = new OidcClientCredentialsTokenProvider(new HttpClient(new FakeHttpHandler((_, _) =>
            Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK, "{\"token_type\":\"Bearer\"}")))), TokenUrl, "c", "s");

        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(HpcErrorKind.Internal, e.Kind);
    }

    [Fact]
    public void Unsupported_auth_method_is_refused()
    {
        var e = Assert.ThrowsAny<HpcException>(() => new OidcClientCredentialsTokenProvider(new HttpClient(), TokenUrl, "c", "s", "private_key_jwt"));

        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Jwt_claims_are_read_from_the_payload()
    {
        var jwt = FakeHttpHandler.Jwt("{\"preferred_username\":\"fireuser\",\"exp\":1800000000,\"n\":1}");

        Assert.Equal("fireuser", JwtClaims.GetString(jwt, "preferred_username"));
        Assert.Null(JwtClaims.GetString(jwt, "n"));
        Assert.Null(JwtClaims.GetString(jwt, "missing"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), JwtClaims.GetExpiry(jwt));
        Assert.Equal(HpcErrorKind.Unauthenticated, Assert.ThrowsAny<HpcException>(() => JwtClaims.GetString("not-a-jwt", "sub")).Kind);
    }
}
