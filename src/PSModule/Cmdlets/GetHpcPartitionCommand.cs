using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists the partitions (queues) of a system.</summary>
[Cmdlet(VerbsCommon.Get, "Partition", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(Partition))]
public sealed class GetHpcPartitionCommand : HpcSessionCmdlet
{
    /// <summary>Partition names (wildcards); all by default.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PartitionCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Include hidden partitions.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        var items = Run(ct => Ops.Status.GetPartitionsAsync(system, Force, ct));
        foreach (var item in Matching(items, i => i.Name, Name, "partition", system))
            WriteObject(OutputObjects.WithSystem(item, system));
    }
}
