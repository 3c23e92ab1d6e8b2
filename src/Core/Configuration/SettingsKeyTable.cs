using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Firecrest.Core.Configuration;

/// <summary>
/// The YAML keys of one settings class, derived from its public settable properties and the attributes in
/// ConfigKeyAttributes.cs, so that a new property is a key without further listing.
/// </summary>
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Every settings type is kept by SettingsTypes; a test checks the list.")]
internal sealed class SettingsKeyTable
{
    private static readonly ConcurrentDictionary<Type, SettingsKeyTable> Cache = new();

    private SettingsKeyTable(Type type)
    {
        SnakeCaseOnly = type.IsDefined(typeof(SnakeCaseKeysOnlyAttribute));
        var keys = new List<SettingsKey>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!p.CanWrite) continue;
            var key = new SettingsKey(ConfigKeyNames.ToSnake(p.Name), p, p.IsDefined(typeof(SecretFileAttribute)),
                p.GetCustomAttribute<UsedWhenAttribute>()?.Variants.Cast<Enum>().ToHashSet());
            keys.Add(key);
            ByName[key.Snake] = key;
            if (!SnakeCaseOnly) ByName[ConfigKeyNames.ToCamel(key.Snake)] = key;
            foreach (var alias in p.GetCustomAttributes<ConfigKeyAliasAttribute>()) ByName[alias.Key] = key;
            if (p.IsDefined(typeof(ConfigDiscriminatorAttribute))) Discriminator = key;
        }
        Keys = keys;
    }

    /// <summary>The table of <paramref name="type"/>.</summary>
    public static SettingsKeyTable For(Type type) => Cache.GetOrAdd(type, static t => new SettingsKeyTable(t));

    /// <summary>One entry per property, under its canonical (snake_case) key.</summary>
    public IReadOnlyList<SettingsKey> Keys { get; }

    /// <summary>Every accepted spelling (snake_case, camelCase where allowed, aliases) to its entry.</summary>
    public Dictionary<string, SettingsKey> ByName { get; } = new(StringComparer.Ordinal);

    /// <summary>True when camelCase spellings are not accepted.</summary>
    public bool SnakeCaseOnly { get; }

    /// <summary>The key whose enum value selects the variant of the section, or null.</summary>
    public SettingsKey? Discriminator { get; }
}

/// <summary>One YAML key of a settings class.</summary>
/// <param name="Snake">Canonical spelling, also used in key paths of messages.</param>
/// <param name="Property">The property it sets.</param>
/// <param name="SecretFile">Whether <c>secret_file:/path</c> is resolved.</param>
/// <param name="UsedWhen">The discriminator values under which the key is used; null = always.</param>
internal sealed record SettingsKey(string Snake, PropertyInfo Property, bool SecretFile, IReadOnlySet<Enum>? UsedWhen);
