using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Core.Json;

/// <summary>JSON settings of the FirecREST v2 wire format: camelCase out, camelCase or snake_case in.</summary>
public static class FirecrestJson
{
    /// <summary>Options for responses and requests (property names case-insensitive on input).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Configures <paramref name="o"/> with the wire settings (used by the server's JSON options too).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.DictionaryKeyPolicy = null;
        o.PropertyNameCaseInsensitive = true;
        o.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        // Enums with wire names first: options converters take precedence over an enum's own [JsonConverter].
        o.Converters.Add(new WireEnumConverterFactory());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return o;
    }

    private static JsonSerializerOptions Create()
    {
        var o = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
