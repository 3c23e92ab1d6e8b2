using System.Management.Automation;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Shows the user, groups and scheduler accounts of the caller on a system.</summary>
[Cmdlet(VerbsCommon.Get, "UserInfo", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(UserInfo))]
public sealed class GetHpcUserInfoCommand : HpcSessionCmdlet
{
    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        WriteObject(OutputObjects.WithSystem(Run(ct => Ops.Status.GetUserInfoAsync(system, ct)), system));
    }
}
