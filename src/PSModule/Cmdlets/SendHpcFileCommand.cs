using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>
/// Uploads local files into a remote directory, with progress (bytes, rate, time left) and a SHA-256 check. Files up to
/// the system's max_ops_file_size go directly; larger ones are staged through S3 in parallel parts and moved by a transfer
/// job. Ctrl+C stops the upload and keeps its state file (&lt;file&gt;.f7t-upload.json): running the command again resumes it.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "HpcFile", SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class SendHpcFileCommand : HpcSessionCmdlet
{
    /// <summary>Local files (Get-ChildItem output binds by FullName).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Remote directory to upload into.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    // Parsed in Begin. Not a RemotePath field: PowerShell loads the module's public types before the module's private
    // load context is hooked in, and a field of an engine struct type would make that load fail.
    private string _destinationPath = "";

    /// <summary>Account of the transfer job that moves a large file from S3 to the system (where the system's job template needs one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Account { get; set; }

    /// <summary>Skip the SHA-256 comparison after the upload.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    /// <inheritdoc/>
    protected override string? ResumeHint =>
        $"Stopped; the upload state is kept. To resume, run the same command again: {CommandLine()}";

    /// <inheritdoc/>
    protected override void Begin()
    {
        if (!RemotePath.TryParse(Destination, out var destination, out var problem))
            Fail($"-Destination '{Destination}': {problem}.", "HpcRelativePath", Destination);
        _destinationPath = destination.Value;
    }

    /// <inheritdoc/>
    protected override void Process()
    {
        var system = SystemName;
        foreach (var p in Path)
        {
            var local = GetUnresolvedProviderPathFromPSPath(p);
            if (!File.Exists(local))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"No local file '{local}'.", local), "HpcLocalFileNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            var name = global::System.IO.Path.GetFileName(local);
            var destination = RemotePath.Parse(_destinationPath, "Destination");
            if (!ShouldProcess($"{local} -> {system}:{destination.Trimmed}/{name}", "Upload")) continue;
            try
            {
                Upload(system, local, name, destination.Combine(name, "Destination"));
            }
            catch (HpcException e)
            {
                WriteHpcError(e, local);
            }
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
