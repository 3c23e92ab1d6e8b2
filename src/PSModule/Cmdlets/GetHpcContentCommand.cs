using System.Management.Automation;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Reads a remote text file: all of it, the first or last lines, or a window of bytes.</summary>
[Cmdlet(VerbsCommon.Get, "HpcContent", DefaultParameterSetName = AllSet)]
[OutputType(typeof(string))]
public sealed class GetHpcContentCommand : HpcPathCmdlet
{
    /// <summary>The whole file (up to the system's size limit).</summary>
    public const string AllSet = "All";

    public const string HeadSet = "Head";

    public const string TailSet = "Tail";

    /// <summary>A window of bytes.</summary>
    public const string WindowSet = "Window";

    /// <summary>Number of first lines.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HeadSet)]
    [Alias("First", "TotalCount")]
    [ValidateRange(1, long.MaxValue)]
    public long Head { get; set; }

    /// <summary>Number of last lines.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TailSet)]
    [Alias("Last")]
    [ValidateRange(1, long.MaxValue)]
    public long Tail { get; set; }

    /// <summary>Byte offset of the window.</summary>
    [Parameter(ParameterSetName = WindowSet)]
    [ValidateRange(0, long.MaxValue)]
    public long Offset { get; set; }

    /// <summary>Byte size of the window.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WindowSet)]
    [ValidateRange(1, long.MaxValue)]
    public long Size { get; set; }

    /// <summary>One string instead of lines.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var text = ParameterSetName switch
        {
            HeadSet => Run(ct => Ops.Files.HeadAsync(system, path, lines: Head, cancellationToken: ct)).Content,
            TailSet => Run(ct => Ops.Files.TailAsync(system, path, lines: Tail, cancellationToken: ct)).Content,
            WindowSet => Run(ct => Ops.Files.ViewAsync(system, path, Size, Offset, ct)),
            _ => Run(ct => Ops.Files.ViewAsync(system, path, cancellationToken: ct)),
        };
        if (Raw)
        {
            WriteObject(text);
            return;
        }
        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++) WriteObject(lines[i].TrimEnd('\r'));
    }
}
