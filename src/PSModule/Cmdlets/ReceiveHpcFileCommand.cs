using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>
/// Downloads remote files to a local directory or file, with progress and a SHA-256 check. Files up to the system's
/// max_ops_file_size come directly; larger ones are staged into S3 by a transfer job and fetched in parallel ranges.
/// Ctrl+C stops the download and keeps &lt;file&gt;.part and its state file: running the command again resumes it.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "HpcFile", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ReceiveHpcFileCommand : HpcPathCmdlet
{
    /// <summary>Local directory (or file name for a single download); the current directory by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = ".";

    /// <summary>Overwrite existing local files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Account of the transfer job that stages a large file into S3 (where the system's job template needs one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Account { get; set; }

    /// <summary>Skip the SHA-256 comparison after the download.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    /// <inheritdoc/>
    protected override string? ResumeHint =>
        $"Stopped; the download state is kept. To resume, run the same command again: {CommandLine()}";

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var dest = GetUnresolvedProviderPathFromPSPath(Destination);
        var local = Directory.Exists(dest) ? global::System.IO.Path.Combine(dest, path.Name) : dest;
        if (File.Exists(local) && !Force)
            throw new HpcException(HpcErrorKind.AlreadyExists, $"'{local}' exists: use -Force to overwrite it.");
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
