using System.Management.Automation;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Makes an open session the current one: the session cmdlets use when -Session is not given.</summary>
[Cmdlet(VerbsCommon.Set, "Session", HelpUri = HelpLinks.Guide, DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void), typeof(HpcSession))]
public sealed class SetHpcSessionCommand : HpcCmdlet
{
    public const string NameSet = "Name";

    public const string SessionSet = "Session";

    /// <summary>Name of an open session (see Get-HpcSession).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>A session from Connect-HpcSession or Get-HpcSession.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SessionSet)]
    [ValidateNotNull]
    public HpcSession? Session { get; set; }

    /// <summary>Return the session.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var session = Session ?? HpcSessionStore.Find(Name);
        var name = Session?.Name ?? Name;
        if (session is null)
        {
            WriteError(ErrorRecords.NotFound("session", name));
            return;
        }
        if (!ShouldProcess(session.ToString(), "Make current")) return;
        if (!HpcSessionStore.SetCurrent(session))
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"Session '{name}' is closed: connect again with Connect-HpcSession."),
                "HpcSessionClosed", ErrorCategory.InvalidOperation, session));
            return;
        }
        if (PassThru) WriteObject(session);
    }
}
