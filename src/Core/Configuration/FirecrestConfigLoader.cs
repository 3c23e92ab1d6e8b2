using Microsoft.Extensions.Logging;

namespace Firecrest.Core.Configuration;

/// <summary>
/// Loads the upstream-format YAML configuration (<c>f7t-api-config.yaml</c>): from an explicit path or from the
/// <c>YAML_CONFIG_FILE</c> environment variable (fallback <c>INPUT_YAML_CONFIG_FILE</c>). Unknown keys give one
/// warning each; every invalid or missing value is reported at once in a <see cref="ConfigurationException"/>.
/// </summary>
public static class FirecrestConfigLoader
{
    /// <summary>Environment variable naming the configuration file.</summary>
    public const string PathVariable = "YAML_CONFIG_FILE";

    /// <summary>Fallback environment variable naming the configuration file.</summary>
    public const string FallbackPathVariable = "INPUT_YAML_CONFIG_FILE";

    /// <summary>
    /// The configuration file to read: <paramref name="explicitPath"/> if given, else <c>YAML_CONFIG_FILE</c>, else
    /// <c>INPUT_YAML_CONFIG_FILE</c>.
    /// </summary>
    /// <param name="explicitPath">A path given by the caller, or null.</param>
    /// <param name="environment">Reads an environment variable (default: the process environment).</param>
    /// <exception cref="ConfigurationException">No path given and neither variable is set.</exception>
    public static string ResolvePath(string? explicitPath = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        environment ??= Environment.GetEnvironmentVariable;
        var path = environment(PathVariable);
        if (string.IsNullOrWhiteSpace(path)) path = environment(FallbackPathVariable);
        if (string.IsNullOrWhiteSpace(path))
            throw new ConfigurationException([$"Missing {PathVariable} environment variable (or {FallbackPathVariable}): set it to the path of the FirecREST YAML configuration"]);
        return path;
    }

    /// <summary>Loads and validates the configuration file.</summary>
    /// <param name="path">The file; null = from the environment (see <see cref="ResolvePath"/>).</param>
    /// <param name="logger">Receives one warning per ignored key; optional.</param>
    /// <exception cref="ConfigurationException">The file is missing, not YAML, or has invalid values.</exception>
    public static ConfigLoadResult Load(string? path = null, ILogger? logger = null)
    {
        var file = ResolvePath(path);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException([$"cannot read the configuration file '{file}': {e.Message}"], file, e);
        }
        return LoadFromYaml(text, logger, file);
    }

    /// <summary>Loads and validates configuration text; top-level keys it lacks come from the environment (<see cref="SettingsEnvironment"/>).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="logger">Receives one warning per ignored key; optional.</param>
    /// <param name="sourcePath">File name used in messages; optional.</param>
    /// <exception cref="ConfigurationException">The text is not YAML or has invalid values.</exception>
    public static ConfigLoadResult LoadFromYaml(string yaml, ILogger? logger = null, string? sourcePath = null)
    {
        var mapper = new YamlSettingsMapper();
        var settings = mapper.Map(SettingsEnvironment.Apply(YamlSettingsMapper.Parse(yaml, sourcePath ?? "configuration")));
        foreach (var cluster in settings.Clusters) cluster.Name = cluster.Name.Trim().ToLowerInvariant();
        var problems = mapper.Errors.Concat(FirecrestSettingsValidator.Validate(settings, mapper.Present, mapper.ClusterPaths)).ToList();
        if (logger is not null)
            foreach (var warning in mapper.Warnings)
                logger.LogWarning("Configuration {Source}: {Warning}", sourcePath ?? "text", warning);
        if (problems.Count > 0) throw new ConfigurationException(problems, sourcePath);
        return new ConfigLoadResult(settings, mapper.Warnings, sourcePath);
    }
}
