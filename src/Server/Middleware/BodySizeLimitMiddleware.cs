using Firecrest.Server.Errors;
using Firecrest.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Middleware;

/// <summary>Refuses request bodies larger than <see cref="ServerOptions.MaxRequestBodySize"/> with 413 in the error envelope.</summary>
public sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    /// <summary>Checks the declared length and caps the body stream of the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            await ErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, new ApiError(ApiError.Error, "Request body too large."));
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
