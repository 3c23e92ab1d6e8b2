namespace Firecrest.Integration.Tests.Mcp;

/// <summary>Where the built stdio server (src/Mcp) is, in the same configuration as the running tests.</summary>
internal static class McpServerBinary
{
    /// <summary>Path of <c>Firecrest.Mcp.dll</c>.</summary>
    public static string Path
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = bin.Parent!.Name; // bin/<Configuration>/net10.0/
            var root = bin;
            while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "FirecrestAutomation.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException("FirecrestAutomation.sln not found above " + AppContext.BaseDirectory);
            var dll = System.IO.Path.Combine(root.FullName, "src", "Mcp", "bin", configuration, "net8.0", "Firecrest.Mcp.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Mcp ({configuration}).");
        }
    }
}
