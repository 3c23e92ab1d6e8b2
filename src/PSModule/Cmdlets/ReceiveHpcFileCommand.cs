using System.Diagnostics;
using System.Management.Automation;
using System.Security.Cryptography;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Downloads remote files to a local directory or file, with a checksum check.</summary>
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

    /// <summary>Skip the SHA-256 comparison after the download.</summary>
    [Parameter]
    public SwitchParameter NoChecksum { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, string path)
    {
        var dest = GetUnresolvedProviderPathFromPSPath(Destination);
        var local = Directory.Exists(dest) ? global::System.IO.Path.Combine(dest, RemotePath.Leaf(path)) : dest;
        if (File.Exists(local) && !Force)
            throw new HpcException(HpcErrorKind.AlreadyExists, $"'{local}' exists: use -Force to overwrite it.");
        if (!ShouldProcess($"{system}:{path} -> {local}", "Download")) return;
        const int progressId = 7002;
        var clock = Stopwatch.StartNew();
        WriteProgress(Progress.Bytes(progressId, "Receive-HpcFile", path, 0, 0, clock));
        byte[] data;
        try
        {
            data = Run(async ct =>
            {
                try
                {
                    return await Ops.Files.DownloadAsync(system, path, ct).ConfigureAwait(false);
                }
                catch (HpcException e) when (e.Kind == HpcErrorKind.TooLarge)
                {
                    throw new HpcException(HpcErrorKind.TooLarge,
                        $"'{path}' is larger than the system's limit for direct downloads (max_ops_file_size); " +
                        "large downloads need the staged transfer, which this module version does not support yet.", e);
                }
            });
        }
        finally
        {
            WriteProgress(Progress.Done(progressId, "Receive-HpcFile"));
        }
        if (!NoChecksum)
        {
            var remote = Run(ct => Ops.Files.ChecksumAsync(system, path, ct));
            var localHash = Convert.ToHexString(SHA256.HashData(data));
            if (!string.Equals(localHash, remote.Checksum, StringComparison.OrdinalIgnoreCase))
                throw new HpcException(HpcErrorKind.Internal, $"Checksum mismatch after download of '{path}': received {localHash}, remote {remote.Checksum}.");
        }
        var partial = local + ".part";
        Run(ct => File.WriteAllBytesAsync(partial, data, ct));
        File.Move(partial, local, overwrite: true);
        WriteObject(new FileInfo(local));
    }
}
