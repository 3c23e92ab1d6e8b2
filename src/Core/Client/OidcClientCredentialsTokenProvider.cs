using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Firecrest.Core.Client;

/// <summary>
/// Gets access tokens with the OAuth2 <c>client_credentials</c> grant from an OIDC token endpoint,
/// authenticating the client with <c>client_secret_basic</c> or <c>client_secret_post</c>. The token is cached and
/// renewed when fewer than <see cref="RenewBefore"/> remain; concurrent callers share one request. Thread-safe.
/// </summary>
public sealed class OidcClientCredentialsTokenProvider : IAccessTokenProvider
{
    /// <summary>A cached token is renewed when it has less than this left.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly Uri _tokenUrl;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly bool _postSecret;
    private readonly TimeProvider _time;
    private readonly TokenCache _cache;

    /// <param name="http">The HTTP client used for the token endpoint (owned by the caller).</param>
    /// <param name="tokenUrl">Token endpoint (<c>auth.authentication.token_url</c>).</param>
    /// <param name="clientId">Client id (<c>service_account.client_id</c>).</param>
    /// <param name="clientSecret">Client secret (<c>service_account.secret</c>).</param>
    /// <param name="authMethod"><c>client_secret_basic</c> (HTTP Basic) or <c>client_secret_post</c> (form fields).</param>
    /// <param name="time">Clock; default the system clock.</param>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.InvalidArgument"/> for a bad URL or method.</exception>
    public OidcClientCredentialsTokenProvider(HttpClient http, string tokenUrl, string clientId, string clientSecret,
        string authMethod = "client_secret_basic", TimeProvider? time = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        if (!Uri.TryCreate(tokenUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"The token URL '{tokenUrl}' is not an absolute http(s) URL.");
        _postSecret = authMethod switch
        {
            "client_secret_basic" => false,
            "client_secret_post" => true,
            _ => throw new HpcException(HpcErrorKind.InvalidArgument, $"Unsupported token endpoint auth method '{authMethod}' (client_secret_basic or client_secret_post)."),
        };
        _tokenUrl = url;
        _clientId = clientId;
        _clientSecret = clientSecret;
        _time = time ?? TimeProvider.System;
        _cache = new TokenCache(_time);
    }

    /// <summary>
    /// A valid access token: the cached one, or a new one when the cached one expires within <see cref="RenewBefore"/>.
    /// </summary>
    /// <exception cref="HpcException">
    /// <see cref="HpcErrorKind.Unauthenticated"/> when the endpoint refuses the client credentials;
    /// <see cref="HpcErrorKind.Unavailable"/> when it cannot be reached or fails; <see cref="HpcErrorKind.Internal"/> for a malformed answer.
    /// </exception>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        return await _cache.GetAsync(async (_, ct) =>
        {
            var fetched = await FetchAsync(ct).ConfigureAwait(false);
            return (fetched.AccessToken, fetched.ExpiresAt - RenewBefore);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the cached token so the next call fetches a new one.</summary>
    public void Invalidate() => _cache.Invalidate();

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUrl);
        if (_postSecret)
        {
            form.Add(new("client_id", _clientId));
            form.Add(new("client_secret", _clientSecret));
        }
        else
        {
            // OAuth2 basic client authentication: id and secret are each form-urlencoded, then joined by ':' and base64-encoded.
            var raw = $"{WebUtility.UrlEncode(_clientId)}:{WebUtility.UrlEncode(_clientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)));
        }
        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var requestedAt = _time.GetUtcNow();
        HttpResponseMessage response;
        string body;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new HpcException(HpcErrorKind.Unavailable, $"The token endpoint {_tokenUrl} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw Refused(response.StatusCode, body);
            return Parse(body, requestedAt);
        }
    }

    private HpcException Refused(HttpStatusCode status, string body)
    {
        var (error, description) = ReadError(body);
        var detail = error is null ? $"HTTP {(int)status}" : description is null ? error : $"{error}: {description}";
        return (int)status is 400 or 401 or 403
            ? new HpcException(HpcErrorKind.Unauthenticated, $"The token endpoint {_tokenUrl} refused the client credentials of '{_clientId}' ({detail}).") { StatusCode = (int)status }
            : new HpcException(HpcErrorKind.Unavailable, $"The token endpoint {_tokenUrl} failed ({detail}).") { StatusCode = (int)status };
    }

    private CachedToken Parse(string body, DateTimeOffset requestedAt)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var at) || at.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(at.GetString()))
                throw new HpcException(HpcErrorKind.Internal, $"The token endpoint {_tokenUrl} answered without an access_token.");
            var token = at.GetString()!;
            DateTimeOffset expiresAt;
            if (root.TryGetProperty("expires_in", out var ei) && TryReadSeconds(ei, out var seconds))
                expiresAt = requestedAt.AddSeconds(seconds);
            else
                expiresAt = TryJwtExpiry(token) ?? requestedAt; // unknown lifetime: not reused
            return new CachedToken(token, expiresAt);
        }
        catch (JsonException e)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The token endpoint {_tokenUrl} answered with invalid JSON: {e.Message}", e);
        }
    }

    private static bool TryReadSeconds(JsonElement e, out double seconds)
    {
        seconds = 0;
        return (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out seconds))
            || (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds));
    }

    private static DateTimeOffset? TryJwtExpiry(string token)
    {
        try
        {
            return JwtClaims.GetExpiry(token);
        }
        catch (HpcException)
        {
            return null;
        }
    }

    private static (string? Error, string? Description) ReadError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) return (null, null);
            string? Str(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Str("error"), Str("error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt);
}
