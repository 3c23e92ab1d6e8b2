using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;

namespace Firecrest.Core.Json;

/// <summary>
/// The strings that stand for enum members on the wire and in the configuration: a member's
/// <see cref="WireNameAttribute"/>, else its name in snake_case (as <see cref="FirecrestJson"/> writes other enums).
/// </summary>
public static class WireNames
{
    private const DynamicallyAccessedMemberTypes Fields = DynamicallyAccessedMemberTypes.PublicFields;
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(Enum Value, string Name)>> Cache = new();

    /// <summary>The wire string of <paramref name="value"/>.</summary>
    public static string Of(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (v, name) in Members(FieldsOf(value)))
            if (v.Equals(value)) return name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a member of {value.GetType().Name}.");
    }

    /// <summary>The member whose wire string is exactly <paramref name="text"/> (ordinal), or false.</summary>
    public static bool TryParse<[DynamicallyAccessedMembers(Fields)] T>(string? text, out T value) where T : struct, Enum
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

    /// <summary>Every member of <paramref name="enumType"/> with its wire string, in the order of their values.</summary>
    public static IReadOnlyList<(Enum Value, string Name)> Members([DynamicallyAccessedMembers(Fields)] Type enumType) =>
        Cache.TryGetValue(enumType, out var members) ? members : Cache.GetOrAdd(enumType, Read(enumType));

    /// <summary>The wire strings of <paramref name="enumType"/>, in the order of their values.</summary>
    public static IEnumerable<string> Names([DynamicallyAccessedMembers(Fields)] Type enumType) => Members(enumType).Select(m => m.Name);

    // Enum.GetNames orders by value, which is stable where the order of GetFields is not promised.
    private static List<(Enum, string)> Read([DynamicallyAccessedMembers(Fields)] Type enumType) =>
        Enum.GetNames(enumType).Select(n => enumType.GetField(n, BindingFlags.Public | BindingFlags.Static)!)
            .Select(f => ((Enum)f.GetValue(null)!,
                f.GetCustomAttribute<WireNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name)))
            .ToList();

    [UnconditionalSuppressMessage("Trimming", "IL2073",
        Justification = "The trimmer and the AOT compiler keep every field of an enum type they keep, with its attributes.")]
    [return: DynamicallyAccessedMembers(Fields)]
    private static Type FieldsOf(Enum value) => value.GetType();
}
