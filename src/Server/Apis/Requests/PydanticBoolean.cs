namespace Firecrest.Server.Apis.Requests;

/// <summary>Boolean words accepted as upstream's pydantic does in lax mode (case-insensitive).</summary>
public static class PydanticBoolean
{
    private static readonly HashSet<string> TrueWords = new(["1", "on", "t", "true", "y", "yes"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> FalseWords = new(["0", "off", "f", "false", "n", "no"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads <paramref name="text"/> as a boolean word; false when it is none.</summary>
    public static bool TryParse(string? text, out bool value)
    {
        var word = text?.Trim() ?? "";
        value = TrueWords.Contains(word);
        return value || FalseWords.Contains(word);
    }
}
