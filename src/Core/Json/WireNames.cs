using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Firecrest.Core.Json;

/// <summary>
/// The strings that stand for enum members on the wire and in the configuration: a member's
/// <see cref="WireNameAttribute"/>, else its name in snake_case (as <see cref="FirecrestJson"/> writes other enums).
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(Enum Value, string Name)>> Cache = new();

    /// <summary>The wire string of <paramref name="value"/>.</summary>
    public static string Of(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (v, name) in Members(value.GetType()))
            if (v.Equals(value)) return name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a member of {value.GetType().Name}.");
    }

    /// <summary>The member whose wire string is exactly <paramref name="text"/> (ordinal), or false.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var (v, name) in Members(typeof(T)))
        {
            if (!string.Equals(name, text, StringComparison.Ordinal)) continue;
            value = (T)v;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Every member of <paramref name="enumType"/> with its wire string, in declaration order.</summary>
    public static IReadOnlyList<(Enum Value, string Name)> Members(Type enumType) => Cache.GetOrAdd(enumType, static t =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => ((Enum)f.GetValue(null)!,
                f.GetCustomAttribute<WireNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name)))
            .ToList());

    /// <summary>The wire strings of <paramref name="enumType"/>, in declaration order.</summary>
    public static IEnumerable<string> Names(Type enumType) => Members(enumType).Select(m => m.Name);

    /// <summary>True when some member of <paramref name="enumType"/> carries a <see cref="WireNameAttribute"/>.</summary>
    public static bool HasWireNames(Type enumType) =>
        enumType.IsEnum && enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Any(f => f.IsDefined(typeof(WireNameAttribute)));
}
