using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Firecrest.Core.Models;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Apis;

/// <summary>
/// The ls answer <c>{"output":[{"name":…,"type":…,"linkTarget":…,"user":…,"group":…,"permissions":…,"lastModified":…,"size":…}]}</c>
/// written entry by entry straight into the response body, flushed every few kilobytes, with the escaping of the
/// server's JSON settings: byte for byte what the general serializer writes for
/// <see cref="OutputResponse{T}"/> of <see cref="RemoteFile"/> (a test compares them), without its per-entry overhead.
/// Described in OpenAPI like <c>Ok&lt;OutputResponse&lt;IReadOnlyList&lt;RemoteFile&gt;&gt;&gt;</c>.
/// </summary>
/// <param name="files">The entries.</param>
public sealed class ListingJsonResult(IReadOnlyList<RemoteFile> files) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private const int FlushBytes = 32 * 1024;
    private static readonly JsonEncodedText Output = JsonEncodedText.Encode("output");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText LinkTarget = JsonEncodedText.Encode("linkTarget");
    private static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
    private static readonly JsonEncodedText Group = JsonEncodedText.Encode("group");
    private static readonly JsonEncodedText Permissions = JsonEncodedText.Encode("permissions");
    private static readonly JsonEncodedText LastModified = JsonEncodedText.Encode("lastModified");
    private static readonly JsonEncodedText Size = JsonEncodedText.Encode("size");

    /// <inheritdoc/>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <summary>The entries.</summary>
    public IReadOnlyList<RemoteFile> Files => files;

    /// <inheritdoc/>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonBytesResult.JsonContentType;
        var encoder = httpContext.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions.Encoder;
        var body = response.BodyWriter;
        var aborted = httpContext.RequestAborted;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = encoder ?? JavaScriptEncoder.Default, SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteStartArray(Output);
        foreach (var f in files)
        {
            writer.WriteStartObject();
            writer.WriteString(Name, f.Name);
            writer.WriteString(Type, f.Type);
            writer.WriteString(LinkTarget, f.LinkTarget);
            writer.WriteString(User, f.User);
            writer.WriteString(Group, f.Group);
            writer.WriteString(Permissions, f.Permissions);
            writer.WriteString(LastModified, f.LastModified);
            writer.WriteString(Size, f.Size);
            writer.WriteEndObject();
            if (writer.BytesPending < FlushBytes) continue;
            writer.Flush();
            await body.FlushAsync(aborted);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(OutputResponse<IReadOnlyList<RemoteFile>>), ["application/json"]));
}
