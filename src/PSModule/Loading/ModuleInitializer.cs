using System.Management.Automation;

namespace Firecrest.PowerShell.Loading;

/// <summary>
/// Sets up the private load context when the module is imported. Nothing is undone at removal: assemblies cannot leave
/// the default context (a later import reuses the resolver), and the sessions stay open because
/// <c>Import-Module -Force</c> removes the module before importing it again (Disconnect-HpcSession closes them).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc/>
    public void OnImport() => DependencyResolver.Register();
}
