using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Firecrest.Server.Apis.Requests;

/// <summary>
/// JSON contract modifier: request models of this namespace accept camelCase and snake_case keys, plus the
/// <see cref="JsonAliasAttribute"/> names (upstream <c>populate_by_name</c> and <c>validation_alias</c>).
/// </summary>
public static class RequestKeyAliases
{
    /// <summary>Adds the alias keys to <paramref name="info"/> when it is a request model.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "An alias has the type of a property the source generator already made a JsonPropertyInfo<T> for, so the type exists in a trimmed or native program; the native server's test pass (docs/curl.md) sends snake_case keys, the value-typed environment among them.")]
    [UnconditionalSuppressMessage("AOT", "IL3050",
        Justification = "As for IL2026: the generic instantiation the alias needs was compiled for the generated property of the same type.")]
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace != typeof(RequestKeyAliases).Namespace) return;
        var taken = new HashSet<string>(info.Properties.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var property in info.Properties.ToList())
        {
            if (property.Set is null) continue;
            var names = new List<string> { property.Name };
            if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonAliasAttribute), true) is { } attributes)
                names.AddRange(attributes.Cast<JsonAliasAttribute>().SelectMany(a => a.Names));
            var keys = names.SelectMany(n => new[] { n, JsonNamingPolicy.SnakeCaseLower.ConvertName(n) }).Distinct().ToList();
            var set = property.Set;
            var yielding = keys.Count > 1 && property.Get is { } get ? YieldingSetter(get, set) : set;
            if (WeakKeys.Contains(property.Name)) property.Set = yielding;
            foreach (var name in keys)
            {
                if (!taken.Add(name)) continue;
                var alias = info.CreateJsonPropertyInfo(property.PropertyType, name);
                alias.Set = WeakKeys.Contains(name) ? yielding : set;
                info.Properties.Add(alias);
            }
        }
    }

    /// <summary>
    /// Keys that yield to another name of the same field when a body sends both, in any order, as upstream:
    /// <c>sourcePath</c> wins over <c>path</c>, <c>env</c> over <c>environment</c>.
    /// </summary>
    private static readonly HashSet<string> WeakKeys = new(["path", "environment"], StringComparer.Ordinal);

    private static Action<object, object?> YieldingSetter(Func<object, object?> get, Action<object, object?> set) =>
        (target, value) =>
        {
            if (get(target) is null) set(target, value);
        };

    /// <summary>True for types whose JSON keys get aliases.</summary>
    public static bool IsRequestType(MemberInfo type) => type is Type t && t.Namespace == typeof(RequestKeyAliases).Namespace;
}
