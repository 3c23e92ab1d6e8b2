namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// The request and correlation ids of the API request being served, forwarded (as upstream) to the SSH key services
/// that a credential fetch on behalf of that request calls. Flows with the async context of the request.
/// </summary>
public static class RequestIds
{
    public const string RequestIdHeader = "X-Request-ID";

    public const string CorrelationIdHeader = "X-Correlation-ID";

    private static readonly AsyncLocal<KeyValuePair<string, string>[]?> Current = new();

    /// <summary>Sets the ids for the rest of the current async flow (the server does so per request).</summary>
    public static void Set(string requestId, string correlationId) =>
        Current.Value = [new(RequestIdHeader, requestId), new(CorrelationIdHeader, correlationId)];

    /// <summary>The headers to forward; none outside a request.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers => Current.Value ?? [];
}
