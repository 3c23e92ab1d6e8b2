using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Firecrest.Core.Configuration;

/// <summary>
/// Top-level settings from outside the YAML file, in upstream's (pydantic-settings) order: a key the YAML file sets
/// wins, then an environment variable of the key's name (any case, e.g. <c>APP_DEBUG</c>), then the same name in a
/// <c>.env</c> file of the working directory. Values are YAML (so JSON too) for the nested keys, e.g.
/// <c>LOGGER={"enable_tracing_log": true}</c>.
/// </summary>
public static class SettingsEnvironment
{
    /// <summary>The top-level keys, from the settings type.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } = typeof(FirecrestSettings).GetProperties()
        .Where(p => p.CanWrite).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToList();

    /// <summary>Adds to <paramref name="root"/> each top-level key it lacks that the environment or the .env file sets.</summary>
    /// <param name="root">The parsed YAML root (left alone when it is not a mapping).</param>
    /// <param name="environment">Environment variables by name; null = the process environment.</param>
    /// <param name="dotEnvPath">The .env file; null = <c>.env</c> in the working directory.</param>
    public static YamlNode? Apply(YamlNode? root, Func<string, string?>? environment = null, string? dotEnvPath = null)
    {
        if (root is not YamlMappingNode map) return root;
        environment ??= Environment.GetEnvironmentVariable;
        var dotEnv = ReadDotEnv(dotEnvPath ?? Path.Combine(Directory.GetCurrentDirectory(), ".env"));
        var present = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in TopLevelKeys.Where(k => !present.Contains(k)))
        {
            var value = environment(key.ToUpperInvariant()) ?? environment(key) ?? dotEnv.GetValueOrDefault(key);
            if (value is null) continue;
            map.Children[new YamlScalarNode(key)] = YamlSettingsMapper.Parse(value, $"environment variable {key.ToUpperInvariant()}") ?? new YamlScalarNode("");
        }
        return map;
    }

    private static Dictionary<string, string> ReadDotEnv(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return values;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]) value = value[1..^1];
            values.TryAdd(line[..eq].Trim(), value);
        }
        return values;
    }
}
