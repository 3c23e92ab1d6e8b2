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
        var patterns = (Name ?? ["*"]).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var n in Name ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(n) && !systems.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase)))
                WriteError(new ErrorRecord(new ItemNotFoundException($"No system named '{n}'."), "HpcSystemNotFound", ErrorCategory.ObjectNotFound, n));
        }
        foreach (var s in systems.Where(s => patterns.Any(p => p.IsMatch(s.Name))))
            WriteObject(OutputObjects.WithSystem(s, s.Name));
    }
}
