using System.Management.Automation;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Removes remote files, links, or (with -Recurse) directory trees.</summary>
[Cmdlet(VerbsCommon.Remove, "Item", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Allow removing directories with their contents.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var item = Describe(system, path);
        if ((string)item.Properties["Type"].Value == "d" && !Recurse)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"'{path}' is a directory: use -Recurse to remove it with its contents.");
        if (!ShouldProcess($"{system}:{path}", "Remove")) return;
        Run(ct => Ops.Files.RemoveAsync(system, path, ct));
    }
}
