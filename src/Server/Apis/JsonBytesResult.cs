using Microsoft.AspNetCore.Http.Metadata;

namespace Firecrest.Server.Apis;

/// <summary>200 with a JSON body that is already serialised (UTF-8), e.g. a cached answer.</summary>
/// <param name="body">The body.</param>
public sealed class JsonBytesResult(byte[] body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>The content type of JSON answers, as the framework's JSON results write it.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <inheritdoc/>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc/>
    public string ContentType => JsonContentType;

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
