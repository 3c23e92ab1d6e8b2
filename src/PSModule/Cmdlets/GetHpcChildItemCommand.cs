using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists a remote directory (or describes a file), like <c>ls -l</c>.</summary>
[Cmdlet(VerbsCommon.Get, "ChildItem", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(HpcItem))]
public sealed class GetHpcChildItemCommand : HpcPathCmdlet
{
    /// <summary>List sub-directories too (names relative to the listed path).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Include hidden files (names starting with a dot).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>List what symbolic links point to instead of the links.</summary>
    [Parameter]
    public SwitchParameter FollowSymlink { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var files = Run(ct => Ops.Files.ListAsync(system, path, new ListOptions(ShowHidden: Force, Recursive: Recurse, Dereference: FollowSymlink), ct));
        foreach (var f in files) WriteObject(OutputObjects.File(f, system, f.Name.StartsWith('/') ? f.Name : path.Combine(f.Name).Value));
    }
}
