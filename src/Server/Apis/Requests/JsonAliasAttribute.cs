namespace Firecrest.Server.Apis.Requests;

/// <summary>Other JSON keys accepted for a request property (besides its camelCase name and its snake_case form).</summary>
/// <param name="names">Accepted keys.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class JsonAliasAttribute(params string[] names) : Attribute
{
    /// <summary>Accepted keys.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}
