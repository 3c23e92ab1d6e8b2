using System.Management.Automation;
using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Objects;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Changes the mode (chmod) and/or owner and group (chown) of remote items.</summary>
[Cmdlet(VerbsCommon.Set, "ItemPermission", HelpUri = HelpLinks.Guide, SupportsShouldProcess = true)]
[OutputType(typeof(HpcItem))]
public sealed class SetHpcItemPermissionCommand : HpcPathCmdlet
{
    /// <summary>Octal mode, e.g. 750.</summary>
    [Parameter]
    [ValidatePattern("^[0-7]{3,4}$")]
    public string? Mode { get; set; }

    /// <summary>New owner (chown).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>New group (chgrp).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Group { get; set; }

    /// <inheritdoc/>
    protected override void Begin()
    {
        if (Mode is null && Owner is null && Group is null) Fail("Give -Mode, -Owner or -Group.", "HpcNothingToChange");
    }

    /// <inheritdoc/>
    protected override void ProcessPath(string system, RemotePath path)
    {
        RemoteFile? last = null;
        if (Mode is not null && ShouldProcess($"{system}:{path}", $"Set mode {Mode}"))
            last = Run(ct => Ops.Files.ChmodAsync(system, path, Mode, ct));
        if ((Owner is not null || Group is not null) && ShouldProcess($"{system}:{path}", $"Set owner {Owner}:{Group}"))
            last = Run(ct => Ops.Files.ChownAsync(system, path, Owner, Group, ct));
        if (last is not null) WriteObject(Describe(system, path));
    }
}
