namespace Firecrest.Tests.Support;

/// <summary>The checkout the tests run from: the folder of FirecrestAutomation.sln above the test binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>Absolute path of the repository root.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path below the root, e.g. <c>Combine("docs", "openapi.json")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FirecrestAutomation.sln"))) return dir.FullName;
        throw new InvalidOperationException($"FirecrestAutomation.sln not found above {AppContext.BaseDirectory}");
    }
}
