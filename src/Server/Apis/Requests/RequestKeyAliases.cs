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
            foreach (var name in names.SelectMany(n => new[] { n, JsonNamingPolicy.SnakeCaseLower.ConvertName(n) }))
            {
                if (!taken.Add(name)) continue;
                var alias = info.CreateJsonPropertyInfo(property.PropertyType, name);
                alias.Set = property.Set;
                info.Properties.Add(alias);
            }
        }
    }

    /// <summary>True for types whose JSON keys get aliases.</summary>
    public static bool IsRequestType(MemberInfo type) => type is Type t && t.Namespace == typeof(RequestKeyAliases).Namespace;
}
