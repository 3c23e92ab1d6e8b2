using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>
/// Uploads local files, with progress (bytes, rate, time left) and a SHA-256 check. Like Copy-Item: an existing remote
/// directory receives the files under their names; otherwise a single file is written as the destination (a new name),
/// and several files need an existing directory (-Force creates it). An existing remote file is overwritten only with
/// -Force. Files up to the system's max_ops_file_size go directly; larger ones go through a transfer job: streamed straight
/// to it where the system's data transfer is streamer (no resume: a stopped upload starts over), else staged through S3
/// in parallel parts. Ctrl+C stops a staged upload and keeps its state file (&lt;file&gt;.f7t-upload.json): running the
/// command again resumes it.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "File", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class SendHpcFileCommand : HpcSessionCmdlet
{
    /// <summary>Parameter set of -Path.</summary>
    public const string PathSet = "Path";

    /// <summary>Parameter set of -LiteralPath.</summary>
    public const string LiteralPathSet = "LiteralPath";

    /// <summary>Local files; wildcards are expanded locally.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Local files taken as typed (no wildcards); Get-ChildItem output binds here by FullName.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>
    /// Remote directory to upload into, or the new file's remote path for a single file (absolute, <c>~</c>, <c>~/x</c>
    /// or relative to the home directory).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Overwrite existing remote files; create the destination directory when several files are sent.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Account of the transfer job that moves a large file from S3 to the system (where the system's job template needs one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountCompleter))]
    public string? Account { get; set; }

    /// <summary>Skip the SHA-256 comparison after the upload.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    // Every input is gathered first: whether the destination must be a directory depends on how many there are.
    private readonly List<string> _locals = [];

    /// <inheritdoc/>
    protected override string? ResumeHint =>
        $"Stopped; the upload state is kept. To resume, run the same command again: {CommandLine()}";

    /// <inheritdoc/>
    protected override void Process()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var p in literal ? LiteralPath : Path)
        {
            IEnumerable<string> found;
            try
            {
                found = literal ? [GetUnresolvedProviderPathFromPSPath(p)] : GetResolvedProviderPathFromPSPath(p, out _);
            }
            catch (ItemNotFoundException)
            {
                found = [GetUnresolvedProviderPathFromPSPath(p)];
            }
            foreach (var local in found)
            {
                if (File.Exists(local)) _locals.Add(local);
                else if (Directory.Exists(local))
                    WriteError(new ErrorRecord(new IOException($"'{local}' is a directory: Send-HpcFile sends files (Compress-HpcItem packs directories on the system)."), "HpcLocalIsDirectory", ErrorCategory.InvalidArgument, p));
                else
                    WriteError(new ErrorRecord(new FileNotFoundException($"No local file '{local}'.", local), "HpcLocalFileNotFound", ErrorCategory.ObjectNotFound, p));
            }
        }
    }

    /// <inheritdoc/>
    protected override void End()
    {
        if (_locals.Count == 0) return;
        var system = SystemName;
        var destination = ResolveRemote(system, Destination, "Destination");
        var (exists, isDirectory) = Probe(system, destination);
        CopyTarget kind;
        try
        {
            kind = CopyDestination.Decide(destination.Value, exists, isDirectory, Destination.EndsWith('/'), _locals.Count, Force);
        }
        catch (HpcException e)
        {
            WriteHpcError(e, Destination);
            return;
        }
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (kind == CopyTarget.CreateDirectory)
        {
            if (!ShouldProcess($"{system}:{destination.Trimmed}", "Create directory")) return;
            Run(ct => Ops.Files.MakeDirectoryAsync(system, destination, parent: true, ct));
        }
        else if (kind == CopyTarget.IntoDirectory)
        {
            present.UnionWith(Run(ct => Ops.Files.ListAsync(system, destination, new ListOptions(ShowHidden: true), ct)).Select(f => f.Name));
        }
        foreach (var local in _locals)
        {
            var name = global::System.IO.Path.GetFileName(local);
            try
            {
                var target = kind == CopyTarget.AsFile ? destination : destination.Combine(name, "Destination");
                if (kind != CopyTarget.AsFile) CopyDestination.CheckOverwrite(target.Value, present.Contains(name), Force);
                if (!ShouldProcess($"{local} -> {system}:{target}", "Upload")) continue;
                Upload(system, local, target.Name, target);
            }
            catch (HpcException e)
            {
                WriteHpcError(e, local);
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> exists and is a directory (a link to one counts).</summary>
    private (bool Exists, bool IsDirectory) Probe(string system, RemotePath path)
    {
        try
        {
            var stat = Run(ct => Ops.Files.StatAsync(system, path, dereference: true, ct));
            return (true, (stat.Mode & 0xF000) == 0x4000);
        }
        catch (HpcException e) when (e.Kind == HpcErrorKind.NotFound)
        {
            return (false, false);
        }
    }

    private void Upload(string system, string local, string name, RemotePath target)
    {
        const int progressId = 7001;
        var options = new FileTransferOptions { Account = Account, VerifyChecksum = !NoChecksum };
        var client = FileTransfers.ClientFor(Ops);
        try
        {
            Run(ct => client.UploadAsync(system, local, target, options,
                new ActionProgress<TransferProgress>(p => Post(() => WriteProgress(FileTransfers.Record(progressId, "Send-HpcFile", name, p)))), ct));
        }
        finally
        {
            WriteProgress(Progress.Done(progressId, "Send-HpcFile"));
        }
        WriteObject(DescribeFile(system, target));
    }

    private PSObject DescribeFile(string system, RemotePath path)
    {
        var entries = Run(ct => Ops.Files.ListAsync(system, path, new ListOptions(ShowHidden: true), ct));
        return OutputObjects.File(entries.Count > 0 ? entries[0] : new RemoteFile { Name = path.Value }, system, path.Value);
    }
}
