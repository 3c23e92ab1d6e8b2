using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.Configuration;

/// <summary>Paths of the configuration fixtures, and a scratch folder deleted on dispose.</summary>
internal sealed class ConfigTestFiles : IDisposable
{
    public ConfigTestFiles() => Directory.CreateDirectory(Dir);

    /// <summary>tests/Fixtures/config/f7t-api-config.{name}.yaml: samples in the FirecREST v2 file format.</summary>
    public static string Sample(string name) => Path.Combine(Fixtures.Dir, "config", $"f7t-api-config.{name}.yaml");

    /// <summary>deploy/demo/firecrest.yaml of this checkout (the template with ${...} placeholders).</summary>
    public static string DemoTemplate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "demo", "firecrest.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("deploy/demo/firecrest.yaml not found above the test folder");
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "f7t-config-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
