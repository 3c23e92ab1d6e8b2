using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Reads a job's standard output (or error) file.</summary>
[Cmdlet(VerbsCommon.Get, "JobOutput", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(string))]
public sealed class GetHpcJobOutputCommand : HpcSessionCmdlet
{
    /// <summary>Job ids (Tab completes your recent jobs); job objects bind by their JobId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>Read standard error instead of standard output.</summary>
    [Parameter]
    public SwitchParameter StandardError { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Tail { get; set; }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        foreach (var id in JobId)
        {
            try
            {
                var jobId = ParseJobId(id);
                var text = Run(async ct =>
                {
                    var path = await JobOutputLocator.LocateAsync(Ops, system, jobId, StandardError, ct).ConfigureAwait(false);
                    return Tail > 0
                        ? (await Ops.Files.TailAsync(system, path, lines: Tail, cancellationToken: ct).ConfigureAwait(false)).Content
                        : await Ops.Files.ViewAsync(system, path, cancellationToken: ct).ConfigureAwait(false);
                });
                WriteObject(text);
            }
            catch (HpcException e)
            {
                WriteHpcError(e, id);
            }
        }
    }
}
