using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Base of the cmdlets that act on remote paths given by -Path or piped file objects.</summary>
public abstract class HpcPathCmdlet : HpcSessionCmdlet
{
    /// <summary>Absolute paths on the system.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <inheritdoc/>
    protected sealed override void Process()
    {
        var system = SystemName;
        foreach (var path in Path)
        {
            if (!RemotePath.TryParse(path, out var remote, out var problem))
            {
                WriteError(new ErrorRecord(new ArgumentException($"-Path '{path}': {problem}."), "HpcRelativePath", ErrorCategory.InvalidArgument, path));
                continue;
            }
            try
            {
                ProcessPath(system, remote);
            }
            catch (HpcException e)
            {
                WriteHpcError(e, path);
            }
        }
    }

    /// <summary>Acts on one path (already parsed: absolute and normal).</summary>
    protected abstract void ProcessPath(string system, RemotePath path);

    /// <summary>A path parameter other than -Path (e.g. -Destination), parsed; a bad one is an error naming <paramref name="parameter"/>.</summary>
    protected static RemotePath Remote(string? value, string parameter) => RemotePath.Parse(value, parameter);

    /// <summary>The listing entry of <paramref name="path"/> itself (from its parent directory).</summary>
    protected PSObject Describe(string system, RemotePath path)
    {
        if (path.IsRoot)
            return OutputObjects.File(new RemoteFile { Name = "/", Type = "d" }, system, "/");
        var entries = Run(ct => Ops.Files.ListAsync(system, path.Parent, new ListOptions(ShowHidden: true), ct));
        var entry = entries.FirstOrDefault(e => e.Name == path.Name)
            ?? throw new HpcException(HpcErrorKind.NotFound, $"'{path}' does not exist on {system}.");
        return OutputObjects.File(entry, system, path.Trimmed);
    }

    /// <summary>Waits for a transfer job and fails with its error log when it did not complete.</summary>
    protected void CompleteTransfer(string system, TransferJob job, string activity)
    {
        var waited = WaitForJob(system, job.JobId, TimeSpan.FromHours(24), activity);
        if (waited.TimedOut) throw waited.TimeoutError(system);
        var done = waited.Job!;
        if (done.State == Core.Models.JobState.Completed) return;
        var log = Run(ct => JobFailure.ExplainAsync(Ops, system, done, job.Logs.ErrorLog, cancellationToken: ct)).StandardErrorTail ?? "";
        throw new HpcException(HpcErrorKind.Internal, $"Transfer job {job.JobId} ended {done.State}. {log}".Trim());
    }
}
