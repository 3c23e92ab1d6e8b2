using System.Management.Automation;
using Firecrest.Core.Models;
using Job = Firecrest.Core.Models.Job;
using JobState = Firecrest.Core.Models.JobState;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Lists jobs, or shows the jobs with the given ids.</summary>
[Cmdlet(VerbsCommon.Get, "Job", HelpUri = HelpLinks.Guide, DefaultParameterSetName = ListSet)]
[OutputType(typeof(HpcJob))]
public sealed class GetHpcJobCommand : HpcSessionCmdlet
{
    /// <summary>All (own) jobs, filtered.</summary>
    public const string ListSet = "List";

    public const string IdSet = "Id";

    /// <summary>Job ids (Tab completes your recent jobs); job objects bind by their JobId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>Job names (wildcards).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    public string? Name { get; set; }

    /// <summary>Jobs of every user.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter AllUsers { get; set; }

    /// <summary>Only jobs in these states.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("Unknown", "Pending", "Running", "Held", "Completed", "Failed", "Cancelled", "Timeout", IgnoreCase = true)]
    public string[]? State { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        if (ParameterSetName == IdSet)
        {
            foreach (var id in JobId)
            {
                try
                {
                    var jobId = ParseJobId(id);
                    foreach (var j in Run(ct => Ops.Compute.GetJobAsync(system, jobId, ct))) WriteObject(OutputObjects.Job(j, system));
                }
                catch (Core.HpcException e)
                {
                    WriteHpcError(e, id);
                }
            }
            return;
        }
        var jobs = Run(ct => Ops.Compute.GetJobsAsync(system, new JobQuery(AllUsers: AllUsers), ct));
        var pattern = Name is null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
        foreach (var j in jobs)
        {
            if (pattern is not null && !pattern.IsMatch(j.Name ?? "")) continue;
            if (State is { Length: > 0 } && !State.Contains(j.State.ToString(), StringComparer.OrdinalIgnoreCase)) continue;
            WriteObject(OutputObjects.Job(j, system));
        }
    }
}
