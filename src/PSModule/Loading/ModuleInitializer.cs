using System.Management.Automation;

namespace Firecrest.PowerShell.Loading;

/// <summary>Sets up the private load context when the module is imported and closes its sessions when it is removed.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnImport() => DependencyResolver.Register();

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The resolver stays: assemblies cannot leave the default context, and a later import reuses it.
        Sessions.HpcSessionStore.DisconnectAll();
    }
}
