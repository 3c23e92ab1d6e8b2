using System.Management.Automation;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>SHA-256 of remote files, computed on the system (compare with <c>Get-FileHash</c>).</summary>
[Cmdlet(VerbsCommon.Get, "FileHash", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(PSObject))]
public sealed class GetHpcFileHashCommand : HpcPathCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var sum = Run(ct => Ops.Files.ChecksumAsync(system, path, ct));
        var o = new PSObject();
        o.Properties.Add(new PSNoteProperty("Algorithm", sum.Algorithm));
        o.Properties.Add(new PSNoteProperty("Hash", sum.Checksum.ToUpperInvariant()));
        o.Properties.Add(new PSNoteProperty("Path", path.Trimmed));
        o.Properties.Add(new PSNoteProperty("System", system));
        WriteObject(o);
    }
}
