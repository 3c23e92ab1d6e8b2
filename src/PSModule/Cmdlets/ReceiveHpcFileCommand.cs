using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>
/// Downloads remote files, with progress and a SHA-256 check. Like Copy-Item: an existing local directory receives the
/// files under their names; otherwise a single file is written as the destination, and several files need an existing
/// directory (-Force creates it). An existing local file is overwritten only with -Force. Files up to the system's
/// max_ops_file_size come directly; larger ones are streamed from a transfer job where the system's data transfer is
/// streamer, else staged into S3 by a transfer job and fetched in parallel ranges.
/// Ctrl+C stops the download and keeps &lt;file&gt;.part and its state file: running the command again resumes it.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "File", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ReceiveHpcFileCommand : HpcPathCmdlet
{
    /// <summary>Local directory, or the new file's local path for a single file; the current directory by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = ".";

    /// <summary>Overwrite existing local files; create the destination directory when several files are received.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Account of the transfer job that stages a large file into S3 (where the system's job template needs one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountCompleter))]
    public string? Account { get; set; }

    /// <summary>Skip the SHA-256 comparison after the download.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    // Every input is gathered first (as path text: no engine struct in a field): whether the destination must be a
    // directory depends on how many there are.
    private readonly List<string> _paths = [];
    private string _system = "";

    /// <inheritdoc/>
    protected override string? ResumeHint =>
        $"Stopped; the download state is kept. To resume, run the same command again: {CommandLine()}";

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        _system = system;
        _paths.Add(path.Value);
    }

    /// <inheritdoc/>
    protected override void End()
    {
        if (_paths.Count == 0) return;
        var dest = GetUnresolvedProviderPathFromPSPath(Destination);
        CopyTarget kind;
        try
        {
            kind = CopyDestination.Decide(dest, File.Exists(dest) || Directory.Exists(dest), Directory.Exists(dest),
                Destination.EndsWith('/') || Destination.EndsWith('\\'), _paths.Count, Force);
        }
        catch (HpcException e)
        {
            WriteHpcError(e, Destination);
            return;
        }
        if (kind == CopyTarget.CreateDirectory)
        {
            if (!ShouldProcess(dest, "Create directory")) return;
            Directory.CreateDirectory(dest);
        }
        foreach (var text in _paths)
        {
            var path = RemotePath.Parse(text);
            var local = kind == CopyTarget.AsFile ? dest : global::System.IO.Path.Combine(dest, path.Name);
            try
            {
                if (kind != CopyTarget.AsFile) CopyDestination.CheckOverwrite(local, File.Exists(local), Force);
                else if (global::System.IO.Path.GetDirectoryName(local) is { Length: > 0 } parent && !Directory.Exists(parent))
                    throw new HpcException(HpcErrorKind.NotFound, $"Destination directory '{parent}' does not exist.");
                Download(_system, path, local);
            }
            catch (HpcException e)
            {
                WriteHpcError(e, text);
            }
        }
    }

    private void Download(string system, RemotePath path, string local)
    {
        if (!ShouldProcess($"{system}:{path} -> {local}", "Download")) return;
        const int progressId = 7002;
        var options = new FileTransferOptions { Account = Account, VerifyChecksum = !NoChecksum };
        var client = FileTransfers.ClientFor(Ops);
        var name = path.Name;
        try
        {
            Run(ct => client.DownloadAsync(system, path, local, options,
                new ActionProgress<TransferProgress>(p => Post(() => WriteProgress(FileTransfers.Record(progressId, "Receive-HpcFile", name, p)))), ct));
        }
        finally
        {
            WriteProgress(Progress.Done(progressId, "Receive-HpcFile"));
        }
        WriteObject(new FileInfo(local));
    }
}
