using System.Text;

namespace Firecrest.Core.Configuration;

/// <summary>Converts between the property names of the settings classes and the YAML key spellings.</summary>
internal static class ConfigKeyNames
{
    /// <summary><c>IdleTimeout</c> or <c>idleTimeout</c> → <c>idle_timeout</c>.</summary>
    public static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary><c>idle_timeout</c> → <c>idleTimeout</c> (what pydantic's camelize alias generator produces).</summary>
    public static string ToCamel(string snake)
    {
        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake)
        {
            if (c == '_') { upper = sb.Length > 0; continue; }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }
}
