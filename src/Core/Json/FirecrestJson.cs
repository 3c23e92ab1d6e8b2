using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Firecrest.Core.Json;

/// <summary>JSON settings of the FirecREST v2 wire format: camelCase out, camelCase or snake_case in.</summary>
public static class FirecrestJson
{
    /// <summary>
    /// Options for responses and requests (property names case-insensitive on input). They know the engine's and the
    /// client's types without reflection; other types are read by reflection where the program allows it.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// The wire settings with the generated metadata alone: what the engine and the client use for their own types, so
    /// that a type missing from <see cref="CoreJsonContext"/> fails in every test that serializes it, not only in a
    /// natively compiled program.
    /// </summary>
    internal static JsonSerializerOptions WithoutReflection { get; } = Create(CoreJsonContext.Default);

    /// <summary>The generated metadata of the engine's and the client's types, to chain in other options.</summary>
    public static IJsonTypeInfoResolver TypeInfoResolver => CoreJsonContext.Default;

    /// <summary>
    /// Configures <paramref name="o"/> with the wire settings (used by the server's JSON options too). Enums carry their
    /// converters on their types (<see cref="WireEnumConverter{T}"/>, <see cref="SnakeCaseEnumConverter{T}"/>).
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.DictionaryKeyPolicy = null;
        o.PropertyNameCaseInsensitive = true;
        o.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        return o;
    }

    /// <summary>The metadata of <typeparamref name="T"/> in <paramref name="options"/>, for the serializer's overloads that need no reflection.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(IJsonTypeInfoResolver? resolver = null)
    {
        var o = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        o.TypeInfoResolver = resolver ?? WithReflectionWhereAllowed(CoreJsonContext.Default);
        o.MakeReadOnly();
        return o;
    }

    /// <summary>
    /// <paramref name="generated"/>, then reflection for any other type when the program allows reflection-based
    /// serialization (<see cref="JsonSerializer.IsReflectionEnabledByDefault"/>: true unless trimmed or compiled natively).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reflection is added only where the feature switch allows it; trimmed programs set it to false.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reflection is added only where the feature switch allows it; natively compiled programs set it to false.")]
    private static IJsonTypeInfoResolver WithReflectionWhereAllowed(IJsonTypeInfoResolver generated) =>
        JsonSerializer.IsReflectionEnabledByDefault ? JsonTypeInfoResolver.Combine(generated, new DefaultJsonTypeInfoResolver()) : generated;
}
