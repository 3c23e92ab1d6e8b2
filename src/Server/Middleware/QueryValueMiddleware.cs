using System.Globalization;
using System.Runtime.CompilerServices;
using Firecrest.Core;
using Firecrest.Server.Apis.Requests;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Checks the boolean and integer query parameters of the matched endpoint before binding: boolean words of upstream
/// (<c>1/0/yes/no/on/off/…</c>, any case) become <c>true</c>/<c>false</c>, and a non-empty value that is no boolean
/// word or no integer is refused with a validation error naming the parameter. The generated binder would answer a
/// bare 400 that names nothing.
/// </summary>
public sealed class QueryValueMiddleware(RequestDelegate next)
{
    private enum Kind { Boolean, Integer }

    // The boolean and integer parameters of each endpoint, found once: endpoints are built at start and never change.
    private static readonly ConditionalWeakTable<Endpoint, Dictionary<string, Kind>> KindsByEndpoint = new();

    /// <summary>Normalises the endpoint's boolean query values, checks its integer ones, and continues.</summary>
    /// <exception cref="HpcValidationException">A boolean or integer query parameter holds a value of another kind.</exception>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            var kinds = KindsByEndpoint.GetValue(endpoint, KindsOf);
            if (kinds.Count > 0 && Checked(context.Request.Query, kinds) is { } rewritten) context.Request.Query = rewritten;
        }
        return next(context);
    }

    private static Dictionary<string, Kind> KindsOf(Endpoint endpoint)
    {
        var kinds = new Dictionary<string, Kind>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            var type = Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) ?? p.ParameterInfo.ParameterType;
            if (type == typeof(bool)) kinds[p.Name] = Kind.Boolean;
            else if (type == typeof(long)) kinds[p.Name] = Kind.Integer;
        }
        return kinds;
    }

    // Null when every value is already in its binder's form; a copy with the boolean words rewritten otherwise.
    private static QueryCollection? Checked(IQueryCollection query, Dictionary<string, Kind> kinds)
    {
        Dictionary<string, StringValues>? values = null;
        foreach (var (key, value) in query)
        {
            if (!kinds.TryGetValue(key, out var kind) || value.Count != 1 || string.IsNullOrEmpty(value[0])) continue;
            if (kind == Kind.Boolean)
            {
                var word = PydanticBoolean.TryParse(value[0], out var b) ? (b ? "true" : "false")
                    : throw new HpcValidationException(key, "Input should be a valid boolean, unable to interpret input", "query");
                if (string.Equals(word, value[0], StringComparison.Ordinal)) continue;
                values ??= new Dictionary<string, StringValues>(query, StringComparer.OrdinalIgnoreCase);
                values[key] = word;
            }
            else if (!long.TryParse(value[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                throw new HpcValidationException(key, "Input should be a valid integer, unable to parse string as an integer", "query");
        }
        return values is null ? null : new QueryCollection(values);
    }
}
