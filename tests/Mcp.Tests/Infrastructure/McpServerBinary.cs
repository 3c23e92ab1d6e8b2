namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>Where the built stdio server (src/Mcp) is, in the same configuration as the running tests.</summary>
internal static class McpServerBinary
{
    /// <summary>Path of <c>Firecrest.Mcp.dll</c>.</summary>
    public static string Path
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            var dll = System.IO.Path.Combine(RepositoryRoot, "src", "Mcp", "bin", configuration, "net8.0", "Firecrest.Mcp.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Mcp ({configuration}).");
        }
    }

    /// <summary>The folder of FirecrestAutomation.sln above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(System.IO.Path.Combine(d.FullName, "FirecrestAutomation.sln"))) return d.FullName;
            throw new InvalidOperationException("FirecrestAutomation.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
