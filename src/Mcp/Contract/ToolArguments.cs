using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Contract;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the tool runs: unknown and missing
/// arguments, JSON types, <c>enum</c>, <c>minimum</c>/<c>maximum</c>. Each problem names the argument, what it takes
/// and the value received, so a model can correct the call.
/// </summary>
public static class ToolArguments
{
    private const int MaxShownValue = 80;

    /// <summary>A call filter that answers an invalid call with an error result naming each bad argument.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && context.Params is { } call
                && Problems(tool.ProtocolTool, call.Arguments) is { Count: > 0 } problems)
            {
                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"Invalid arguments for {tool.ProtocolTool.Name}: {string.Join(" ", problems)} Nothing was done; call it again with corrected arguments." }],
                };
            }
            return await next(context, cancellationToken);
        };

    /// <summary>What is wrong with <paramref name="arguments"/> for <paramref name="tool"/>, one sentence each; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(Tool tool, IDictionary<string, JsonElement>? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var problems = new List<string>();
        var schema = tool.InputSchema;
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var known = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToList() : [];
        arguments ??= new Dictionary<string, JsonElement>();
        foreach (var (name, value) in arguments)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"Unknown argument '{name}' (received {Show(value)}); {tool.Name} takes {(known.Count == 0 ? "no arguments" : string.Join(", ", known))}.");
                continue;
            }
            if (Mismatch(properties.GetProperty(name), value) is { } expected)
                problems.Add($"Argument '{name}' must be {expected}; received {Show(value)}.");
        }
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (arguments.ContainsKey(name)) continue;
                var expected = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var s) ? Expected(s) : "given";
                problems.Add($"Argument '{name}' is missing; it must be {expected}.");
            }
        }
        return problems;
    }

    /// <summary>Null when <paramref name="value"/> fits <paramref name="schema"/>, else what the schema expects.</summary>
    private static string? Mismatch(JsonElement schema, JsonElement value) => Fits(schema, value) ? null : Expected(schema);

    private static bool Fits(JsonElement schema, JsonElement value)
    {
        if (schema.ValueKind == JsonValueKind.True) return true;
        if (schema.ValueKind != JsonValueKind.Object) return false;
        if (schema.TryGetProperty("anyOf", out var anyOf) && !anyOf.EnumerateArray().Any(b => Fits(b, value))) return false;
        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !IsType(type.GetString()!, value)) return false;
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value))) return false;
        if (value.ValueKind == JsonValueKind.Number)
        {
            var n = value.GetDouble();
            if (schema.TryGetProperty("minimum", out var min) && n < min.GetDouble()) return false;
            if (schema.TryGetProperty("maximum", out var max) && n > max.GetDouble()) return false;
        }
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.Object)
            return value.EnumerateObject().All(x => Fits(extra, x.Value));
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
            return value.EnumerateArray().All(x => Fits(items, x));
        return true;
    }

    private static bool IsType(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    /// <summary>What <paramref name="schema"/> takes, in words: "an integer from 1 to 3600", "one of \"head\", \"tail\"", ….</summary>
    public static string Expected(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return "any value";
        if (schema.TryGetProperty("anyOf", out var anyOf))
            return string.Join(" or ", anyOf.EnumerateArray().Select(Expected).Distinct());
        if (schema.TryGetProperty("enum", out var values))
            return "one of " + string.Join(", ", values.EnumerateArray().Select(v => v.GetRawText()));
        var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var words = type switch
        {
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "object" => schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.Object
                ? $"an object whose values are {Plural(Expected(extra))}" : "an object",
            "array" => "an array",
            "null" => "null",
            _ => "any value",
        };
        var min = schema.TryGetProperty("minimum", out var mn) ? mn.GetRawText() : null;
        var max = schema.TryGetProperty("maximum", out var mx) ? mx.GetRawText() : null;
        return (min, max) switch
        {
            ({ } a, { } b) => $"{words} from {a} to {b}",
            ({ } a, null) => $"{words} of at least {a}",
            (null, { } b) => $"{words} of at most {b}",
            _ => words,
        };
    }

    private static string Plural(string expected) => expected.StartsWith("a string", StringComparison.Ordinal) ? "strings" : expected;

    private static string Show(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Undefined ? "nothing" : value.GetRawText();
        return text.Length > MaxShownValue ? text[..MaxShownValue] + "…" : text;
    }
}
