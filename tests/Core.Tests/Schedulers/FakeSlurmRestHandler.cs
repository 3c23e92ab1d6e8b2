using System.Net;
using System.Text;

namespace Firecrest.Core.Tests.Schedulers;

/// <summary>An HttpMessageHandler that answers by URL substring (first match, path+query) and records every request.</summary>
internal sealed class FakeSlurmRestHandler : HttpMessageHandler
{
    private readonly List<(string Method, string Match, HttpStatusCode Status, string Body)> _routes = [];

    public sealed record Recorded(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string? ContentType, string? Body);

    public List<Recorded> Requests { get; } = [];

    public FakeSlurmRestHandler On(string method, string match, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        _routes.Add((method, match, status, body));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
            Requests.Add(new Recorded(request.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)),
                request.Content?.Headers.ContentType?.ToString(), body));
        var pathAndQuery = request.RequestUri!.PathAndQuery;
        foreach (var r in _routes)
            if (r.Method == request.Method.Method && pathAndQuery.Contains(r.Match, StringComparison.Ordinal))
                return new HttpResponseMessage(r.Status) { Content = new StringContent(r.Body, Encoding.UTF8, "application/json") };
        return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"errors":[{"error":"no route"}]}""") };
    }
}
