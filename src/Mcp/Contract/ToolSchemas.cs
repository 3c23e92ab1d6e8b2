using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Firecrest.Core.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// The JSON Schemas of the tools, generated with the serializer settings the answers are written with (camelCase,
/// enums as their wire strings), and written in the portable subset hosts accept: every node typed, nullability as
/// <c>anyOf</c> with a <c>null</c> branch instead of a type array, no boolean schemas.
/// </summary>
public static class ToolSchemas
{
    private static readonly string[] AnyType = ["object", "array", "string", "number", "boolean", "null"];

    /// <summary>
    /// The answers' settings (<see cref="FirecrestJson.Options"/>) except that numbers are never read from strings:
    /// a schema then says "integer", not "integer or digits", and an argument <c>"5"</c> for a number is refused.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>Schema settings: enums as their wire strings, property descriptions from the XML documentation.</summary>
    public static AIJsonSchemaCreateOptions CreateOptions { get; } = new() { TransformSchemaNode = Transform };

    /// <summary>Rewrites <paramref name="tool"/>'s input and output schemas in the portable subset (see the class summary).</summary>
    public static void MakePortable(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        tool.InputSchema = Portable(tool.InputSchema);
        if (tool.OutputSchema is { } output) tool.OutputSchema = Portable(output);
    }

    /// <summary><paramref name="schema"/> in the portable subset.</summary>
    public static JsonElement Portable(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText());
        node = Rewrite(node, keyword: null);
        return JsonSerializer.SerializeToElement(node, ToolJsonContext.Default.JsonNode);
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        // Generated metadata alone, reflection never: a tool's parameter or answer type missing from ToolJsonContext then
        // fails when the tools are created, in every test, not only in the natively compiled server.
        var o = new JsonSerializerOptions(FirecrestJson.Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ToolJsonContext.Default, FirecrestJson.TypeInfoResolver, McpJsonUtilities.DefaultOptions.TypeInfoResolver),
        };
        o.MakeReadOnly();
        return o;
    }

    private static JsonNode Transform(AIJsonSchemaCreateContext context, JsonNode schema)
    {
        var type = context.TypeInfo.Type;
        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (enumType.IsEnum)
        {
            // The exporter does not know the wire-name converter: it emits a bare `true` or the C# names.
            var names = new JsonArray(EnumNames(enumType).Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
            var nullable = type != enumType;
            if (nullable) names.Add(null);
            var enumNode = new JsonObject();
            if (schema is JsonObject { } old && old["description"] is { } d) enumNode["description"] = d.DeepClone();
            enumNode["type"] = nullable ? new JsonArray("string", "null") : "string";
            enumNode["enum"] = names;
            schema = enumNode;
        }
        if (context.PropertyInfo?.AttributeProvider is System.Reflection.MemberInfo member && XmlDocs.Describe(member) is { } text)
        {
            // A bare `true` (a property of any JSON value) becomes an object so that it can carry the description.
            if (schema is not JsonObject) schema = new JsonObject();
            if (schema is JsonObject described && !described.ContainsKey("description")) described["description"] = text;
        }
        return schema;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067",
        Justification = "The trimmer and the AOT compiler keep every field of an enum type they keep, with its attributes.")]
    private static IEnumerable<string> EnumNames(Type enumType) => WireNames.Names(enumType);

    /// <summary>One schema node rewritten; <paramref name="keyword"/> is the keyword it sits under.</summary>
    private static JsonNode Rewrite(JsonNode? node, string? keyword)
    {
        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            // additionalProperties: true/false keeps its meaning as a boolean; elsewhere say what is allowed.
            if (keyword is "additionalProperties" or "unevaluatedProperties") return JsonValue.Create(b);
            return b ? AnyValue() : new JsonObject { ["not"] = new JsonObject() };
        }
        if (node is not JsonObject obj) return node?.DeepClone() ?? AnyValue();

        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            result[key] = key switch
            {
                "properties" or "$defs" or "definitions" or "patternProperties" when value is JsonObject map =>
                    new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Rewrite(p.Value, key)))),
                "items" or "additionalProperties" or "not" or "contains" or "propertyNames" => Rewrite(value, key),
                "anyOf" or "oneOf" or "allOf" or "prefixItems" when value is JsonArray list =>
                    new JsonArray(list.Select(x => (JsonNode?)Rewrite(x, key)).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        if (result["type"] is JsonArray types) result = SplitTypes(result, types);
        if (keyword != "not" && !Constrains(result))
        {
            foreach (var (key, value) in AnyValue()) result[key] = value?.DeepClone();
        }
        return result;
    }

    /// <summary><c>{"type":["string","null"], …}</c> becomes <c>{"anyOf":[{"type":"string", …},{"type":"null"}]}</c>.</summary>
    private static JsonObject SplitTypes(JsonObject node, JsonArray types)
    {
        var outer = new JsonObject();
        var inner = new JsonObject();
        foreach (var (key, value) in node)
        {
            if (key == "type") continue;
            if (key is "description" or "title" or "default" or "$comment") outer[key] = value?.DeepClone();
            else inner[key] = value?.DeepClone();
        }
        var branches = new JsonArray();
        foreach (var t in types.Select(t => t!.GetValue<string>()))
        {
            var branch = t == "null" ? new JsonObject() : (JsonObject)inner.DeepClone();
            if (t != "null" && branch["enum"] is JsonArray e)
                branch["enum"] = new JsonArray(e.Where(x => x is not null).Select(x => x!.DeepClone()).ToArray());
            if (t == "null")
            {
                branch["type"] = "null";
            }
            else
            {
                // Keywords of other types do not belong in this branch (e.g. "properties" under "string").
                var typed = new JsonObject { ["type"] = t };
                foreach (var (key, value) in branch) typed[key] = value?.DeepClone();
                branch = typed;
            }
            branches.Add((JsonNode)branch);
        }
        outer["anyOf"] = branches;
        return outer;
    }

    private static readonly HashSet<string> ConstrainingKeywords =
    [
        "type", "enum", "const", "anyOf", "oneOf", "allOf", "not", "$ref", "properties", "items", "required",
        "minimum", "maximum", "pattern", "format", "minLength", "maxLength", "additionalProperties",
    ];

    private static bool Constrains(JsonObject node) => node.Any(p => ConstrainingKeywords.Contains(p.Key));

    private static JsonObject AnyValue() => new()
    {
        ["anyOf"] = new JsonArray(AnyType.Select(t => (JsonNode?)new JsonObject { ["type"] = t }).ToArray()),
    };
}
