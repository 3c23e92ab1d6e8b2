using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Firecrest.Core.Json;

namespace Firecrest.Core.Client;

/// <summary>
/// Sends <see cref="ApiCall"/>s to a FirecREST server: bearer token, one <c>X-Request-ID</c> per call, retries of
/// retryable calls on 408/429/503 and connection failures (honouring <c>Retry-After</c>, jittered exponential backoff),
/// one token refresh on 401, and error answers turned into <see cref="HpcException"/>.
/// </summary>
internal sealed class FirecrestTransport : IDisposable
{
    /// <summary>The request id header.</summary>
    public const string RequestIdHeader = "X-Request-ID";

    private static readonly JsonSerializerOptions RequestJson = new(FirecrestJson.WithoutReflection)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _baseUrl;
    private readonly IAccessTokenProvider _tokens;
    private readonly FirecrestClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public FirecrestTransport(Uri baseUrl, IAccessTokenProvider tokens, FirecrestClientOptions options)
    {
        if (!baseUrl.IsAbsoluteUri) throw new HpcException(HpcErrorKind.InvalidArgument, $"The FirecREST URL '{baseUrl}' is not absolute.");
        _baseUrl = baseUrl.AbsoluteUri.TrimEnd('/');
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient();
    }

    /// <summary>A JSON body for a request.</summary>
    public static Func<HttpContent> Json(object body) => () => JsonContent(body);

    /// <summary>Sends the call and returns the successful answer (the caller disposes it).</summary>
    /// <exception cref="HpcException">For an error answer or when the server cannot be reached.</exception>
    public async Task<HttpResponseMessage> SendAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var requestId = call.RequestId;
        var pathAndQuery = call.PathAndQuery;
        var uri = new Uri(_baseUrl + pathAndQuery);
        var refreshed = false;
        var retries = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(call.Method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            foreach (var (name, value) in call.Headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
            if (call.Content is not null) request.Content = call.Content();

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (call.Retryable && retries < _options.MaxRetries)
                {
                    await WaitAsync(retries++, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var kind = e is TaskCanceledException ? HpcErrorKind.Timeout : HpcErrorKind.Unavailable;
                throw new HpcException(kind, $"{call.Method} {_baseUrl}{call.Path} failed: {e.Message}", e) { RequestId = requestId };
            }

            if (response.IsSuccessStatusCode) return response;

            var status = (int)response.StatusCode;
            if (status == 401 && !refreshed)
            {
                refreshed = true;
                response.Dispose();
                _tokens.Invalidate();
                continue;
            }
            if (call.Retryable && (status is 408 or 429 or 503) && retries < _options.MaxRetries)
            {
                var retryAfter = response.Headers.RetryAfter;
                response.Dispose();
                await WaitAsync(retries++, retryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw ErrorEnvelope.ToException(response.StatusCode, response.ReasonPhrase, body, call.Method.Method, call.Path, requestId);
            }
        }
    }

    /// <summary>Sends the call and reads its JSON answer as <typeparamref name="T"/>.</summary>
    public async Task<T> SendForJsonAsync<T>(ApiCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        var requestId = call.RequestId;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, FirecrestJson.WithoutReflection.TypeInfo<T>(), cancellationToken).ConfigureAwait(false)
                ?? throw new HpcException(HpcErrorKind.Internal, $"{call.Method} {call.Path} answered with an empty body.") { RequestId = requestId };
        }
        catch (JsonException e)
        {
            throw new HpcException(HpcErrorKind.Internal, $"{call.Method} {call.Path} answered with unexpected JSON: {e.Message}", e)
            {
                StatusCode = (int)response.StatusCode,
                RequestId = requestId,
            };
        }
    }

    /// <summary>Sends the call and ignores its (empty) answer.</summary>
    public async Task SendForNothingAsync(ApiCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the call and returns its body as bytes.</summary>
    public async Task<byte[]> SendForBytesAsync(ApiCall call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private static HttpContent JsonContent(object body) =>
        new StringContent(JsonSerializer.Serialize(body, RequestJson.GetTypeInfo(body.GetType())), Encoding.UTF8, "application/json");

    private Task WaitAsync(int retry, RetryConditionHeaderValue? retryAfter, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var delay = RetryDelays.Next(retry, retryAfter, time.GetUtcNow(), _options.BaseRetryDelay, _options.MaxRetryDelay);
        return Task.Delay(delay, time, cancellationToken);
    }
}
