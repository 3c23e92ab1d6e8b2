using System.Management.Automation;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists the open sessions.</summary>
[Cmdlet(VerbsCommon.Get, "Session", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(HpcSession))]
public sealed class GetHpcSessionCommand : HpcCmdlet
{
    /// <summary>Session names (wildcards).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the current session.</summary>
    [Parameter]
    public SwitchParameter Current { get; set; }

    /// <inheritdoc/>
    protected override void End()
    {
        if (Current)
        {
            if (HpcSessionStore.Current is { } c) WriteObject(c);
            return;
        }
        foreach (var s in Matching(HpcSessionStore.All, s => s.Name, Name, "session", null)) WriteObject(s);
    }
}
