using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Server.Apis.Requests;

/// <summary>
/// Request booleans as upstream reads them: <c>true</c>/<c>false</c>, the numbers 0 and 1, and the
/// <see cref="PydanticBoolean"/> words as strings (upstream's own examples send <c>"parent": "true"</c>); null is refused.
/// </summary>
public sealed class PydanticBooleanConverter : JsonConverter<bool>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number when reader.TryGetDouble(out var n) && n is 0 or 1 => n == 1,
        JsonTokenType.String when PydanticBoolean.TryParse(reader.GetString(), out var b) => b,
        _ => throw new JsonException("Input should be a valid boolean"),
    };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
