using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists the compute nodes of a system.</summary>
[Cmdlet(VerbsCommon.Get, "Node", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(Node))]
public sealed class GetHpcNodeCommand : HpcSessionCmdlet
{
    /// <summary>Names (wildcards); all by default.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        var items = Run(ct => Ops.Status.GetNodesAsync(system, ct));
        foreach (var item in Matching(items, i => i.Name, Name, "node", system))
            WriteObject(OutputObjects.WithSystem(item, system));
    }
}
