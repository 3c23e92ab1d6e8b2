namespace Firecrest.Core.Client;

/// <summary>One HTTP call of the FirecREST API, described so that it can be sent again on a retry.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path below the server URL, starting with <c>/</c> (segments already escaped).</param>
/// <param name="Query">Query parameters; entries with a null value are left out.</param>
/// <param name="Content">Creates the request body (called once per attempt), or null for none.</param>
/// <param name="Retryable">True when sending the call twice does no harm (idempotent), so it may be retried.</param>
/// <param name="Headers">Extra request headers.</param>
internal sealed record ApiCall(
    HttpMethod Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string?>>? Query = null,
    Func<HttpContent>? Content = null,
    bool Retryable = false,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>The <c>X-Request-ID</c> of this call (uuid hex), the same on each of its retries.</summary>
    public string RequestId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Path and query as sent.</summary>
    public string PathAndQuery
    {
        get
        {
            var pairs = Query?.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}").ToList();
            return pairs is { Count: > 0 } ? $"{Path}?{string.Join('&', pairs)}" : Path;
        }
    }
}
