namespace Firecrest.Core.Configuration;

// The YAML key table is derived from the settings classes: every public settable property is a key, spelled in
// snake_case (and camelCase unless the class is marked SnakeCaseKeysOnly). These attributes state the exceptions.

/// <summary>The section accepts snake_case keys only (a plain pydantic model upstream); camelCase keys are warned about.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class SnakeCaseKeysOnlyAttribute : Attribute;

/// <summary>The value may be given as <c>secret_file:/path</c>; the file's trimmed content is used.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SecretFileAttribute : Attribute;

/// <summary>Another key spelling accepted for the property (older configurations use it).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
internal sealed class ConfigKeyAliasAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>The enum property whose value selects which other keys of the section are used; it is required.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigDiscriminatorAttribute : Attribute;

/// <summary>
/// The key is used only when the section's discriminator has one of these values; under another value it is
/// ignored with a warning. Keys without this attribute are used by every variant.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class UsedWhenAttribute(params object[] variants) : Attribute
{
    public IReadOnlyList<object> Variants { get; } = variants;
}
