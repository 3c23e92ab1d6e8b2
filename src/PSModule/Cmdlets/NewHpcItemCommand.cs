using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>The kinds of item <c>New-HpcItem</c> creates.</summary>
public enum HpcItemType
{
    Directory,

    /// <summary>A symbolic link (to -Value).</summary>
    SymbolicLink,
}

/// <summary>Creates a remote directory or symbolic link.</summary>
[Cmdlet(VerbsCommon.New, "Item", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class NewHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Directory or SymbolicLink.</summary>
    [Parameter(Mandatory = true)]
    [Alias("Type")]
    public HpcItemType ItemType { get; set; }

    /// <summary>Link target (SymbolicLink).</summary>
    [Parameter]
    [Alias("Target")]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    public string? Value { get; set; }

    /// <summary>Create missing parent directories.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void Begin()
    {
        if (ItemType == HpcItemType.SymbolicLink && string.IsNullOrEmpty(Value))
            Fail("A symbolic link needs -Value (its target).", "HpcLinkWithoutTarget");
    }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        if (ItemType == HpcItemType.Directory)
        {
            if (!ShouldProcess($"{system}:{path}", "Create directory")) return;
            Run(ct => Ops.Files.MakeDirectoryAsync(system, path, Force, ct));
        }
        else
        {
            if (!ShouldProcess($"{system}:{path} -> {Value}", "Create symbolic link")) return;
            Run(ct => Ops.Files.SymlinkAsync(system, Remote(Value, "Value"), path, ct));
        }
        WriteObject(Describe(system, path));
    }
}
