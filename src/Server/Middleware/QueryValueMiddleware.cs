using System.Globalization;
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

    /// <summary>Normalises the endpoint's boolean query values, checks its integer ones, and continues.</summary>
    /// <exception cref="HpcValidationException">A boolean or integer query parameter holds a value of another kind.</exception>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            Dictionary<string, Kind>? kinds = null;
            foreach (var p in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
            {
                var type = Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) ?? p.ParameterInfo.ParameterType;
                Kind? kind = type == typeof(bool) ? Kind.Boolean : type == typeof(long) ? Kind.Integer : null;
                if (kind is { } k) (kinds ??= new(StringComparer.OrdinalIgnoreCase))[p.Name] = k;
            }
            if (kinds is not null) context.Request.Query = Checked(context.Request.Query, kinds);
        }
        return next(context);
    }

    private static QueryCollection Checked(IQueryCollection query, Dictionary<string, Kind> kinds)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in query)
        {
            values[key] = value;
            if (!kinds.TryGetValue(key, out var kind) || value.Count != 1 || string.IsNullOrEmpty(value[0])) continue;
            if (kind == Kind.Boolean)
            {
                values[key] = PydanticBoolean.TryParse(value[0], out var b) ? (b ? "true" : "false")
                    : throw new HpcValidationException(key, "Input should be a valid boolean, unable to interpret input", "query");
            }
            else if (!long.TryParse(value[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                throw new HpcValidationException(key, "Input should be a valid integer, unable to parse string as an integer", "query");
        }
        return new QueryCollection(values);
    }
}
