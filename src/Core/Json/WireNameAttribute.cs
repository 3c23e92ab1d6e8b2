namespace Firecrest.Core.Json;

/// <summary>The exact string that stands for an enum member on the wire (JSON) and in the configuration (YAML).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
