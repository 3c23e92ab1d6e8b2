using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Copys remote files or directories on the system (as a transfer job, waited for).</summary>
[Cmdlet(VerbsCommon.Copy, "Item", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(void), typeof(HpcItem))]
public sealed class CopyHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Target path (into it when it is an existing directory).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Scheduler account of the transfer job.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AccountCompleter))]
    public string? Account { get; set; }

    /// <summary>Copy what symbolic links point to.</summary>
    [Parameter]
    public SwitchParameter FollowSymlink { get; set; }

    /// <summary>Return the new item.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var target = Remote(Destination, "Destination");
        if (!ShouldProcess($"{system}:{path} -> {target}", "Copy")) return;
        var job = Run(ct => Ops.Transfers.CopyAsync(system, path, target, FollowSymlink, Account, ct));
        CompleteTransfer(system, job, "Copy-HpcItem");
        if (PassThru) WriteObject(Describe(system, target));
    }
}
