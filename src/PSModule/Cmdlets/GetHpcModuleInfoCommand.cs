using System.Management.Automation;
using System.Runtime.Loader;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Shows the version of the Firecrest module and of its engine, and the load context the engine runs in.</summary>
[Cmdlet(VerbsCommon.Get, "ModuleInfo", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(PSObject))]
public sealed class GetHpcModuleInfoCommand : PSCmdlet
{
    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var engine = typeof(Firecrest.Core.HpcException).Assembly;
        var o = new PSObject();
        o.Properties.Add(new PSNoteProperty("Module", typeof(GetHpcModuleInfoCommand).Assembly.GetName().Version?.ToString()));
        o.Properties.Add(new PSNoteProperty("Engine", engine.GetName().Version?.ToString()));
        o.Properties.Add(new PSNoteProperty("EngineLoadContext", AssemblyLoadContext.GetLoadContext(engine)?.Name));
        o.Properties.Add(new PSNoteProperty("EnginePath", engine.Location));
        WriteObject(o);
    }
}
