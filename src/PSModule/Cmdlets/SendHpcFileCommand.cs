using System.Diagnostics;
using System.Management.Automation;
using System.Security.Cryptography;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Uploads local files into a remote directory, with progress and a checksum check.</summary>
[Cmdlet(VerbsCommunications.Send, "HpcFile", SupportsShouldProcess = true)]
[OutputType(typeof(RemoteFile))]
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

    /// <summary>Skip the SHA-256 comparison after the upload.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    /// <inheritdoc/>
    protected override void Begin()
    {
        if (!Destination.StartsWith('/')) Fail($"'{Destination}' is not an absolute path on the system.", "HpcRelativePath", Destination);
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
            var target = RemotePath.Combine(Destination, name);
            if (!ShouldProcess($"{local} -> {system}:{target}", "Upload")) continue;
            try
            {
                Upload(system, local, name, target);
            }
            catch (HpcException e)
            {
                WriteHpcError(e, local);
            }
        }
    }

    private void Upload(string system, string local, string name, string target)
    {
        var size = new FileInfo(local).Length;
        var clock = Stopwatch.StartNew();
        const int progressId = 7001;
        var lastReport = TimeSpan.Zero;
        try
        {
            Run(async ct =>
            {
                await using var file = new ProgressStream(File.OpenRead(local), read =>
                {
                    if (clock.Elapsed - lastReport < TimeSpan.FromMilliseconds(200) && read < size) return;
                    lastReport = clock.Elapsed;
                    Post(() => WriteProgress(Progress.Bytes(progressId, "Send-HpcFile", name, read, size, clock)));
                });
                try
                {
                    await Ops.Files.UploadAsync(system, Destination, name, file, ct).ConfigureAwait(false);
                }
                catch (HpcException e) when (e.Kind == HpcErrorKind.TooLarge)
                {
                    throw new HpcException(HpcErrorKind.TooLarge,
                        $"'{local}' ({Progress.Size(size)}) is larger than the system's limit for direct uploads (max_ops_file_size); " +
                        "large uploads need the staged transfer, which this module version does not support yet.", e);
                }
            });
        }
        finally
        {
            WriteProgress(Progress.Done(progressId, "Send-HpcFile"));
        }
        if (!NoChecksum)
        {
            var localHash = Convert.ToHexString(Run(async ct =>
            {
                await using var f = File.OpenRead(local);
                return await SHA256.HashDataAsync(f, ct).ConfigureAwait(false);
            }));
            var remote = Run(ct => Ops.Files.ChecksumAsync(system, target, ct));
            if (!string.Equals(localHash, remote.Checksum, StringComparison.OrdinalIgnoreCase))
                throw new HpcException(HpcErrorKind.Internal, $"Checksum mismatch after upload of '{local}': local {localHash}, remote {remote.Checksum}.");
        }
        WriteObject(DescribeFile(system, target));
    }

    private PSObject DescribeFile(string system, string path)
    {
        var entries = Run(ct => Ops.Files.ListAsync(system, path, new ListOptions(ShowHidden: true), ct));
        return OutputObjects.File(entries.Count > 0 ? entries[0] : new RemoteFile { Name = path }, system, path);
    }
}
