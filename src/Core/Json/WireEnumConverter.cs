using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Core.Json;

/// <summary>
/// Writes an enum as its <see cref="WireNames">wire string</see> and reads the wire string back (a member name,
/// in any case, is read too); anything else, numbers included, is a <see cref="JsonException"/>.
/// </summary>
public sealed class WireEnumConverter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T> : JsonConverter<T>, IWireNamesConverter
    where T : struct, Enum
{
    /// <inheritdoc/>
    public IEnumerable<string> Names => WireNames.Names(typeof(T));

    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Invalid(reader.TokenType.ToString());

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireNames.Of(value));

    /// <inheritdoc/>
    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString());

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WritePropertyName(WireNames.Of(value));

    private static T Parse(string? text)
    {
        if (WireNames.TryParse<T>(text, out var value)) return value;
        foreach (var (v, name) in WireNames.Members(typeof(T)))
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase))
                return (T)v;
        throw Invalid($"'{text}'");
    }

    private static JsonException Invalid(string got) =>
        new($"Expected one of {string.Join(", ", WireNames.Names(typeof(T)))} for {typeof(T).Name}, got {got}.");
}
