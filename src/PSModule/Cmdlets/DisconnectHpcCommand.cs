using System.Management.Automation;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Closes sessions (the current one by default).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Session", HelpUri = HelpLinks.Guide, DefaultParameterSetName = CurrentSet)]
[OutputType(typeof(void))]
public sealed class DisconnectHpcCommand : HpcCmdlet
{
    public const string CurrentSet = "Current";

    public const string NameSet = "Name";

    public const string SessionSet = "Session";

    /// <summary>Names of the sessions to close.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Sessions from Connect-HpcSession or Get-HpcSession.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SessionSet)]
    [ValidateNotNull]
    public HpcSession[] Session { get; set; } = [];

    /// <inheritdoc/>
    protected override void Process()
    {
        var targets = ParameterSetName switch
        {
            NameSet => Name.Select(n => (n, s: HpcSessionStore.Find(n))).ToList(),
            SessionSet => Session.Select(s => (n: s.Name, s: (HpcSession?)s)).ToList(),
            _ => [(n: HpcSessionStore.Current?.Name ?? HpcSessionStore.DefaultName, s: HpcSessionStore.Current)],
        };
        foreach (var (name, session) in targets)
        {
            if (session is null)
            {
                WriteError(ErrorRecords.NotFound("session", name));
                continue;
            }
            if (!ShouldProcess(session.ToString(), "Disconnect")) continue;
            HpcSessionStore.Remove(session);
            Run(async _ => await session.CloseAsync().ConfigureAwait(false));
        }
    }
}
