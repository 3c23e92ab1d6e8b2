using Firecrest.Core.Configuration;
using Firecrest.Server.Errors;
using Firecrest.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Per-route request body limits, 413 in the error envelope: <c>ops/upload</c> may carry the system's
/// <c>max_ops_file_size</c> plus <see cref="ServerOptions.UploadBodyOverhead"/> (multipart framing), every other route
/// <see cref="ServerOptions.MaxRequestBodySize"/>. A declared length above the limit is refused before any byte is
/// read; a chunked body is cut off by the server once it passes the limit. Runs after routing (it needs the endpoint).
/// </summary>
public sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options, FirecrestSettings settings)
{
    /// <summary>Endpoint name of the multipart upload route.</summary>
    public const string UploadEndpointName = "PostUpload";

    /// <summary>Checks the declared length and caps the body stream of the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = LimitFor(context);
        if (context.Request.ContentLength > limit)
        {
            await ErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                new ApiError(ApiError.Error, $"Request body too large: at most {limit} bytes on this route."));
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    }

    private long LimitFor(HttpContext context)
    {
        var small = options.Value.MaxRequestBodySize;
        if (context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName != UploadEndpointName) return small;
        var cluster = settings.FindCluster(context.Request.RouteValues["system_name"] as string ?? "");
        return cluster is null ? small : Math.Max(small, cluster.DataOperation.MaxOpsFileSize + options.Value.UploadBodyOverhead);
    }
}
