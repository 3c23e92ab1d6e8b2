using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Describes remote files or directories themselves (not their contents); -Stat gives the raw stat.</summary>
[Cmdlet(VerbsCommon.Get, "Item", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(HpcItem), typeof(HpcItemStat))]
public sealed class GetHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Return the stat record (mode, inode, size, times) instead of the listing entry.</summary>
    [Parameter]
    public SwitchParameter Stat { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        if (Stat)
        {
            WriteObject(OutputObjects.Stat(Run(ct => Ops.Files.StatAsync(system, path, false, ct)), system, path.Trimmed));
            return;
        }
        WriteObject(Describe(system, path));
    }
}
