using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on remote paths given by -Path (wildcards expanded on the system), -LiteralPath or
/// piped file objects (their FullName binds to -LiteralPath). <c>~</c>, <c>~/x</c> and relative paths are under the
/// home directory: <see cref="RemotePathResolver"/> resolves every path.
/// </summary>
public abstract class HpcPathCmdlet : HpcSessionCmdlet
{
    // No cmdlet of this base names a default parameter set: PowerShell binds pipeline input to the default set first,
    // converting a piped file object to text for -Path, where its FullName must bind to -LiteralPath.

    /// <summary>Parameter set of -Path.</summary>
    public const string PathSet = "Path";

    /// <summary>Parameter set of -LiteralPath.</summary>
    public const string LiteralPathSet = "LiteralPath";

    /// <summary>
    /// Remote paths: absolute, <c>~</c>, <c>~/x</c> or relative to the home directory. Wildcards (<c>*</c>, <c>?</c>,
    /// <c>[a-z]</c>) are expanded on the system; a pattern that matches nothing gives nothing.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Remote paths taken as typed (no wildcards), for names holding <c>*</c>, <c>?</c> or <c>[</c>; file objects bind here by FullName.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("FullName", "LP")]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <inheritdoc/>
    protected sealed override void Process()
    {
        var system = SystemName;
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var text in literal ? LiteralPath : Path)
        {
            IReadOnlyList<RemotePath> paths;
            try
            {
                paths = Run(ct => new RemotePathResolver(Ops, system).ExpandAsync(text, literal, literal ? "LiteralPath" : "Path", ct));
            }
            catch (HpcException e)
            {
                WriteHpcError(e, text);
                continue;
            }
            foreach (var remote in paths)
            {
                try
                {
                    ProcessPath(system, remote);
                }
                catch (HpcException e)
                {
                    WriteHpcError(e, remote.Value);
                }
            }
        }
    }

    /// <summary>Acts on one path (resolved: absolute and normal, wildcards expanded).</summary>
    protected abstract void ProcessPath(string system, RemotePath path);

    /// <summary>A path parameter other than -Path (e.g. -Destination), resolved like -LiteralPath; a bad one is an error naming <paramref name="parameter"/>.</summary>
    protected RemotePath Remote(string? value, string parameter) => ResolveRemote(SystemName, value ?? "", parameter);

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
