using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.Configuration;

public sealed class SettingsEnvironmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("f7t-env-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DotEnv(string text)
    {
        var path = Path.Combine(_dir, ".env");
        File.WriteAllText(path, text);
        return path;
    }

    private static FirecrestSettings Map(string yaml, Func<string, string?> environment, string dotEnv)
    {
        var mapper = new YamlSettingsMapper();
        return mapper.Map(SettingsEnvironment.Apply(YamlSettingsMapper.Parse(yaml, "test"), environment, dotEnv));
    }

    [Fact]
    public void Yaml_wins_then_the_environment_then_the_dot_env_file()
    {
        var env = new Dictionary<string, string> { ["APIS_ROOT_PATH"] = "/from-env", ["APP_DEBUG"] = "true" };
        var dotEnv = DotEnv("# comment\nAPIS_ROOT_PATH=/from-dotenv\nAPP_DEBUG=false\nLOGGER='{\"enable_tracing_log\": true}'\n");

        var fromYaml = Map("apis_root_path: /from-yaml\nclusters: []\n", env.GetValueOrDefault, dotEnv);
        var fromEnv = Map("clusters: []\n", env.GetValueOrDefault, dotEnv);

        Assert.Equal("/from-yaml", fromYaml.ApisRootPath);
        Assert.Equal("/from-env", fromEnv.ApisRootPath);
        Assert.True(fromEnv.AppDebug);
        Assert.True(fromEnv.Logger.EnableTracingLog); // only in .env, a JSON value
    }

    [Fact]
    public void Without_environment_or_dot_env_the_yaml_is_unchanged()
    {
        var settings = Map("clusters: []\n", _ => null, Path.Combine(_dir, "missing.env"));
        Assert.Equal("", settings.ApisRootPath);
        Assert.False(settings.Logger.EnableTracingLog);
    }

    [Fact]
    public void Top_level_keys_come_from_the_settings_type()
    {
        Assert.Contains("apis_root_path", SettingsEnvironment.TopLevelKeys);
        Assert.Contains("ssh_credentials", SettingsEnvironment.TopLevelKeys);
        Assert.Contains("logger", SettingsEnvironment.TopLevelKeys);
    }
}
