using System.Management.Automation;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Reads a remote text file: all of it, the first or last lines, or a window of bytes.</summary>
[Cmdlet(VerbsCommon.Get, "Content", HelpUri = HelpLinks.Guide)]
[OutputType(typeof(string))]
public sealed class GetHpcContentCommand : HpcPathCmdlet
{
    // -Head, -Tail and -Size exclude each other, checked in Begin rather than by parameter sets: the sets of
    // -Path and -LiteralPath already split the command, and sets do not multiply.

    /// <summary>Number of first lines.</summary>
    [Parameter]
    [Alias("First", "TotalCount")]
    [ValidateRange(1, long.MaxValue)]
    public long Head { get; set; }

    /// <summary>Number of last lines.</summary>
    [Parameter]
    [Alias("Last")]
    [ValidateRange(1, long.MaxValue)]
    public long Tail { get; set; }

    /// <summary>Byte offset of the window (with -Size).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long Offset { get; set; }

    /// <summary>Byte size of the window.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Size { get; set; }

    /// <summary>One string instead of lines.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <inheritdoc/>
    protected override void Begin()
    {
        var given = new[] { nameof(Head), nameof(Tail), nameof(Size) }.Where(MyInvocation.BoundParameters.ContainsKey).ToList();
        if (given.Count > 1) Fail($"Give only one of -{string.Join(", -", given)}.", "HpcContentModes");
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Offset)) && given is not [nameof(Size)]) Fail("-Offset needs -Size.", "HpcContentModes");
    }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        var bound = MyInvocation.BoundParameters;
        var text = bound.ContainsKey(nameof(Head)) ? Run(ct => Ops.Files.HeadAsync(system, path, lines: Head, cancellationToken: ct)).Content
            : bound.ContainsKey(nameof(Tail)) ? Run(ct => Ops.Files.TailAsync(system, path, lines: Tail, cancellationToken: ct)).Content
            : bound.ContainsKey(nameof(Size)) ? Run(ct => Ops.Files.ViewAsync(system, path, Size, Offset, ct))
            : Run(ct => Ops.Files.ViewAsync(system, path, cancellationToken: ct));
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
