using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Packs a remote file or directory into a tar archive on the system.</summary>
[Cmdlet(VerbsData.Compress, "Item", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class CompressHpcItemCommand : HpcPathCmdlet
{
    /// <summary>Path of the archive to create (absolute, <c>~/x</c> or relative to the home directory).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(RemotePathCompleter))]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Compression (default gzip).</summary>
    [Parameter]
    public HpcCompression Compression { get; set; } = HpcCompression.Gzip;

    /// <summary>Only names matching this pattern.</summary>
    [Parameter]
    public string? Pattern { get; set; }

    /// <summary>Archive what symbolic links point to.</summary>
    [Parameter]
    public SwitchParameter FollowSymlink { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        if (!ShouldProcess($"{system}:{path} -> {Destination}", "Compress")) return;
        var destination = Remote(Destination, "Destination");
        Run(ct => Ops.Files.CompressAsync(system, new CompressRequest(path, destination, Pattern, FollowSymlink, Compression.ToEngine()), ct));
        WriteObject(Describe(system, destination));
    }
}
