using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Firecrest.Core.Models;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Apis;

/// <summary>Source-generated metadata of the large file-system answers (ls).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OutputResponse<IReadOnlyList<RemoteFile>>))]
public sealed partial class FilesJsonContext : JsonSerializerContext;

/// <summary>
/// The type infos of <see cref="FilesJsonContext"/> bound to a copy of the server's JSON settings (same escaping,
/// naming and converters as every other answer), so the streamed answers are byte-identical to the general ones.
/// </summary>
public sealed class FilesJson(IOptions<HttpJsonOptions> json)
{
    private readonly Lazy<FilesJsonContext> _context = new(() =>
        new FilesJsonContext(new JsonSerializerOptions(json.Value.SerializerOptions) { TypeInfoResolver = null }));

    /// <summary>The ls answer.</summary>
    public JsonTypeInfo<OutputResponse<IReadOnlyList<RemoteFile>>> Listing => _context.Value.OutputResponseIReadOnlyListRemoteFile;
}
