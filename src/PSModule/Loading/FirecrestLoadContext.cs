using System.Reflection;
using System.Runtime.Loader;

namespace Firecrest.PowerShell.Loading;

/// <summary>
/// The module's private load context: the engine (Firecrest.Core) and its dependencies (SSH.NET, AWSSDK, YamlDotNet,
/// Microsoft.Extensions.*) load from the module's <c>dependencies</c> folder here, so other modules in the same
/// PowerShell process can use other versions of them.
/// </summary>
internal sealed class FirecrestLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    /// <summary>Creates the context for <paramref name="folder"/>.</summary>
    public FirecrestLoadContext(string folder) : base("Firecrest", isCollectible: false) => _folder = folder;

    /// <summary>The folder the context loads from.</summary>
    public string Folder => _folder;

    /// <summary>Whether <paramref name="name"/> ships in the dependencies folder.</summary>
    public bool Owns(AssemblyName name) => name.Name is { } n && !IsFramework(n) && File.Exists(PathOf(n));

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Our copy first; anything else (the framework, System.Management.Automation) comes from the default context.
        if (assemblyName.Name is not { } n || IsFramework(n)) return null;
        var path = PathOf(n);
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    // Packages that back-port framework assemblies (System.*) defer to the framework PowerShell runs on.
    private static bool IsFramework(string simpleName) => simpleName.StartsWith("System.", StringComparison.Ordinal);

    private string PathOf(string simpleName) => Path.Combine(_folder, simpleName + ".dll");
}
