namespace Firecrest.PowerShell.Objects;

/// <summary>A remote file, directory or link as <c>ls -l</c> describes it, with typed size and time.</summary>
public sealed class HpcItem
{
    /// <summary>Name as listed (relative to the listed directory with -Recurse).</summary>
    public string Name { get; init; } = "";

    /// <summary>Absolute path on the system.</summary>
    public string FullName { get; init; } = "";

    /// <summary><c>d</c> directory, <c>-</c> file, <c>l</c> link (other <c>ls</c> type letters as listed).</summary>
    public string Type { get; init; } = "";

    /// <summary>Type and permissions as <c>ls</c> shows them, e.g. <c>-rw-r--r--</c>.</summary>
    public string Mode { get; init; } = "";

    /// <summary>Permissions without the type letter, e.g. <c>rw-r--r--</c>.</summary>
    public string Permissions { get; init; } = "";

    /// <summary>Permission bits in octal as <c>Set-HpcItemPermission -Mode</c> takes them, e.g. <c>644</c>.</summary>
    public string OctalMode { get; init; } = "";

    public string User { get; init; } = "";

    public string Group { get; init; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Size in bytes (the name <c>Get-ChildItem</c> uses).</summary>
    public long Length => Size;

    /// <summary>Last modification, in the system's local time (the listing carries no zone).</summary>
    public DateTime? LastModified { get; init; }

    /// <summary>Where a symbolic link points.</summary>
    public string? LinkTarget { get; init; }

    public bool IsDirectory => Type == "d";

    /// <summary>System the item is on.</summary>
    public string System { get; init; } = "";

    /// <summary>The full path, so an item given where a path is expected is its path.</summary>
    public override string ToString() => FullName;
}

/// <summary>The <c>stat</c> record of a remote item, with typed mode and times.</summary>
public sealed class HpcItemStat
{
    public string FullName { get; init; } = "";

    /// <summary>Type and permissions as <c>ls</c> shows them, e.g. <c>-rw-r--r--</c>.</summary>
    public string Mode { get; init; } = "";

    /// <summary>Permission bits in octal, e.g. <c>644</c>.</summary>
    public string OctalMode { get; init; } = "";

    /// <summary>The raw <c>st_mode</c> (type and permission bits).</summary>
    public long RawMode { get; init; }

    public long Size { get; init; }

    public long Inode { get; init; }

    public long Device { get; init; }

    /// <summary>Number of hard links.</summary>
    public long Links { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    public DateTimeOffset LastAccess { get; init; }

    public DateTimeOffset LastModified { get; init; }

    /// <summary>Last change of the inode (mode, owner, links).</summary>
    public DateTimeOffset LastStatusChange { get; init; }

    public string System { get; init; } = "";

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
