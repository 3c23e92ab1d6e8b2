using Firecrest.Server.Errors;

namespace Firecrest.Server.Middleware;

/// <summary>
/// A form body sent to a route that takes JSON: routing picks its 415 rejection endpoint; upstream answers a
/// 400 validation error instead, which this middleware (placed after routing) throws.
/// </summary>
public sealed class FormOnJsonRouteMiddleware(RequestDelegate next)
{
    /// <summary>Display name of routing's endpoint for a content type no candidate route accepts.</summary>
    internal const string UnsupportedMediaTypeEndpoint = "415 HTTP Unsupported Media Type";

    /// <summary>Throws the validation error for a form body on a JSON route, else continues.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.DisplayName == UnsupportedMediaTypeEndpoint
            && JsonBodyContentTypeMiddleware.IsForm(JsonBodyContentTypeMiddleware.MediaType(context.Request.ContentType)))
            throw new RequestValidationException("body", "body", "Input should be a valid dictionary or object to extract fields from");
        return next(context);
    }
}
