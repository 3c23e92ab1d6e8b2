using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.Configuration;

public sealed class SettingsTypesTests
{
    [Fact]
    public void Every_type_the_mapper_reaches_is_kept_with_the_members_it_uses()
    {
        var kept = typeof(SettingsTypes).GetMethod(nameof(SettingsTypes.Keep), BindingFlags.Static | BindingFlags.NonPublic)!
            .GetCustomAttributes<DynamicDependencyAttribute>()
            .ToDictionary(a => a.Type!, a => a.MemberTypes);

        var reached = new HashSet<Type>();
        Walk(typeof(FirecrestSettings), reached);

        Assert.Contains(typeof(ClusterSettings), reached);
        Assert.Contains(typeof(SchedulerType), reached);
        var missing = reached.Where(t => !kept.TryGetValue(t, out var m) || (m & SettingsTypes.Members) != SettingsTypes.Members)
            .Select(t => t.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "not kept by SettingsTypes: " + string.Join(", ", missing));
    }

    // What the mapper creates or reads members of: settings classes, their enums, and the lists and dictionaries it
    // creates with their parameterless constructors (SettingsKeyTable reads public settable instance properties).
    private static void Walk(Type type, HashSet<Type> reached)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || !reached.Add(type)) return;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments()) Walk(argument, reached);
            return;
        }
        if (type.IsEnum) return;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            Walk(p.PropertyType, reached);
    }
}
