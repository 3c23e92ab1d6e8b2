using System.Text.Json;
using Firecrest.Core.Json;
using Firecrest.Mcp.Contract;
using ModelContextProtocol.Protocol;

namespace Firecrest.Mcp.Tools;

/// <summary>Builds tool results: structured content (the data) plus a short text summary for the model.</summary>
public static class ToolResults
{
    /// <summary>
    /// A result carrying <paramref name="data"/> as structured content, <paramref name="summary"/> as text and, for hosts
    /// that read only text, the structured content again as compact JSON text (the second block).
    /// </summary>
    public static CallToolResult Of<T>(T data, string summary)
    {
        var structured = JsonSerializer.SerializeToElement(data, ToolSchemas.SerializerOptions.TypeInfo<T>());
        return new()
        {
            Content = [new TextContentBlock { Text = summary }, new TextContentBlock { Text = structured.GetRawText() }],
            StructuredContent = structured,
        };
    }

    /// <summary>A list result: structured content must be a JSON object, so the items sit under <c>items</c>.</summary>
    public static CallToolResult List<T>(IReadOnlyList<T> items, string summary) => Of(new ListResult<T>(items), summary);

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes (keeping the start or the end).</summary>
    public static (string Text, bool Truncated) Cap(string text, int maxBytes, bool keepEnd = false)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes) return (text, false);
        var slice = keepEnd ? bytes.AsSpan(bytes.Length - maxBytes) : bytes.AsSpan(0, maxBytes);
        return (System.Text.Encoding.UTF8.GetString(slice).Trim('\uFFFD'), true);
    }
}

/// <summary>The structured content of list tools: <c>{"items": [...]}</c>.</summary>
/// <typeparam name="T">Item type.</typeparam>
/// <param name="Items">The items.</param>
public sealed record ListResult<T>(IReadOnlyList<T> Items);
