using Firecrest.Server.Apis.Requests;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Rewrites the boolean query parameters of the matched endpoint from upstream's words (<c>1/0/yes/no/on/off/…</c>,
/// any case) to <c>true</c>/<c>false</c> before binding; other values are left for the binder to refuse.
/// </summary>
public sealed class QueryBooleanMiddleware(RequestDelegate next)
{
    /// <summary>Normalises the endpoint's boolean query values and continues.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            var booleans = endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
                .Where(p => (Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) ?? p.ParameterInfo.ParameterType) == typeof(bool))
                .Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (booleans.Count > 0) context.Request.Query = Normalise(context.Request.Query, booleans);
        }
        return next(context);
    }

    private static QueryCollection Normalise(IQueryCollection query, HashSet<string> booleans)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in query)
            values[key] = booleans.Contains(key) && value.Count == 1 && PydanticBoolean.TryParse(value[0], out var b) ? (b ? "true" : "false") : value;
        return new QueryCollection(values);
    }
}
