namespace Firecrest.Server.Middleware;

/// <summary>
/// Reads request bodies as JSON whatever non-form <c>Content-Type</c> they carry (scripts post
/// <c>data=json.dumps(…)</c> with <c>text/plain</c> or none), as upstream does. Runs before routing, because routing
/// already refuses a JSON route for another content type. A form content type on a JSON route becomes a 400
/// validation error in <see cref="FormOnJsonRouteMiddleware"/>.
/// </summary>
public sealed class JsonBodyContentTypeMiddleware(RequestDelegate next)
{
    /// <summary>Marks non-form, non-JSON bodies as JSON and continues.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var type = MediaType(context.Request.ContentType);
        if (type is null ? MayHaveBody(context.Request) : !IsJson(type) && !IsForm(type))
            context.Request.ContentType = "application/json";
        return next(context);
    }

    private static bool MayHaveBody(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);

    /// <summary>The media type without parameters, lower-cased; null without a content type.</summary>
    public static string? MediaType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>True for <c>application/json</c> and <c>…+json</c>.</summary>
    public static bool IsJson(string type) => type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>True for the two HTML form encodings.</summary>
    public static bool IsForm(string? type) => type is "application/x-www-form-urlencoded" or "multipart/form-data";
}
