using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists the reservations of a system.</summary>
[Cmdlet(VerbsCommon.Get, "Reservation", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(Reservation))]
public sealed class GetHpcReservationCommand : HpcSessionCmdlet
{
    /// <summary>Names (wildcards); all by default.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        var items = Run(ct => Ops.Status.GetReservationsAsync(system, ct));
        foreach (var item in Matching(items, i => i.Name, Name, "reservation", system))
            WriteObject(OutputObjects.WithSystem(item, system));
    }
}
