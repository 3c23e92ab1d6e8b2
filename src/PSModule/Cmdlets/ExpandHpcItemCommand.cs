using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Extracts a tar archive on the system into a directory.</summary>
[Cmdlet(VerbsData.Expand, "Item", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class ExpandHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Directory to extract into (created when missing).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Compression of the archive (default gzip).</summary>
    [Parameter]
    public HpcCompression Compression { get; set; } = HpcCompression.Gzip;

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        if (!ShouldProcess($"{system}:{path} -> {Destination}", "Expand")) return;
        var destination = Remote(Destination, "Destination");
        Run(ct => Ops.Files.MakeDirectoryAsync(system, destination, parent: true, ct));
        Run(ct => Ops.Files.ExtractAsync(system, new ExtractRequest(path, destination, Compression.ToEngine()), ct));
        WriteObject(Describe(system, destination));
    }
}
