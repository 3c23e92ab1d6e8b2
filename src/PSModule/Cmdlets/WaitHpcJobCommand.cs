using System.Management.Automation;
using Firecrest.Core.Models;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Waits until jobs end (completed, failed, cancelled or timed out) and returns them.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Job", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(HpcJob))]
public sealed class WaitHpcJobCommand : HpcSessionCmdlet
{
    /// <summary>Job ids (Tab completes your recent jobs); job objects bind by their JobId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>Give up after this many seconds: a job still running is written as last seen, then a timeout error.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = int.MaxValue;

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        foreach (var id in JobId)
        {
            try
            {
                WriteWaitResult(system, WaitForJob(system, id, TimeoutOf(Timeout), "Wait-HpcJob"));
            }
            catch (Core.HpcException e)
            {
                WriteHpcError(e, id);
            }
        }
    }
}
