using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace Firecrest.Server.Apis;

/// <summary>
/// 200 with <typeparamref name="T"/> serialised straight into the response body by a source-generated
/// <see cref="JsonTypeInfo{T}"/> (no intermediate buffer); described in OpenAPI like <c>Ok&lt;T&gt;</c>.
/// </summary>
/// <typeparam name="T">Body type.</typeparam>
/// <param name="value">The body.</param>
/// <param name="typeInfo">Its source-generated type info.</param>
public sealed class StreamedJsonResult<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    /// <inheritdoc/>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc/>
    public T? Value => value;

    object? IValueHttpResult.Value => value;

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonBytesResult.JsonContentType;
        return JsonSerializer.SerializeAsync(response.BodyWriter, value, typeInfo, httpContext.RequestAborted);
    }

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
