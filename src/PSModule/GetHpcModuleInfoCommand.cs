using System.Management.Automation;

namespace Firecrest.PowerShell;

/// <summary>
/// <para type="synopsis">Shows the version of the Firecrest module and of its engine.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HpcModuleInfo")]
[OutputType(typeof(PSObject))]
public sealed class GetHpcModuleInfoCommand : PSCmdlet
{
    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var o = new PSObject();
        o.Properties.Add(new PSNoteProperty("Module", typeof(GetHpcModuleInfoCommand).Assembly.GetName().Version?.ToString()));
        o.Properties.Add(new PSNoteProperty("Engine", typeof(Firecrest.Core.HpcException).Assembly.GetName().Version?.ToString()));
        WriteObject(o);
    }
}
