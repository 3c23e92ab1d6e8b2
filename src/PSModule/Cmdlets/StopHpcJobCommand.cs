using System.Management.Automation;
using Firecrest.Core.Models;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Cancels jobs (scancel, qdel); -PassThru returns each job as it is after the cancel.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Job", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void), typeof(HpcJob))]
public sealed class StopHpcJobCommand : HpcSessionCmdlet
{
    /// <summary>Job ids (Tab completes your recent jobs); job objects bind by their JobId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>Return the job after cancelling it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        foreach (var id in JobId)
        {
            if (!ShouldProcess($"job {id} on {system}", "Cancel")) continue;
            try
            {
                var jobId = ParseJobId(id);
                Run(ct => Ops.Compute.CancelJobAsync(system, jobId, ct));
                if (PassThru) WriteObject(OutputObjects.Job(FindJob(system, jobId), system));
            }
            catch (Core.HpcException e)
            {
                WriteHpcError(e, id);
            }
        }
    }
}
