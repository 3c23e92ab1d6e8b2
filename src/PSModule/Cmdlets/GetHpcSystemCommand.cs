using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists the systems with their health.</summary>
[Cmdlet(VerbsCommon.Get, "System", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(HpcSystem))]
public sealed class GetHpcSystemCommand : HpcSessionCmdlet
{
    /// <summary>System names (wildcards); all by default.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SystemCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void End()
    {
        var session = CurrentSession;
        var systems = Run(async ct =>
        {
            var all = await Ops.Status.GetSystemsAsync(ct).ConfigureAwait(false);
            if (session.RefreshHealth is { } refresh && all.Any(s => s.ServicesHealth is null))
            {
                await refresh(ct).ConfigureAwait(false);
                all = await Ops.Status.GetSystemsAsync(ct).ConfigureAwait(false);
            }
            return all;
        });
        // -System (every session cmdlet's parameter) names the system to show, like -Name.
        var names = Name ?? (string.IsNullOrEmpty(System) ? null : [System!]);
        foreach (var s in Matching(systems, s => s.Name, names, "system", null))
            WriteObject(OutputObjects.WithSystem(s, s.Name));
    }
}
