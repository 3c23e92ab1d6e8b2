using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Models;

/// <summary>A directory entry as <c>ls -l</c> shows it (wire model <c>File</c>).</summary>
public sealed class RemoteFile
{
    /// <summary>Name (with <c>recursive</c>, prefixed by its sub-folder relative to the listed path).</summary>
    public string Name { get; set; } = "";

    /// <summary>First character of the mode: <c>-</c>, <c>d</c>, <c>l</c>, …</summary>
    public string Type { get; set; } = "";

    /// <summary>Target of a symbolic link, else null.</summary>
    public string? LinkTarget { get; set; }

    /// <summary>Owner.</summary>
    public string User { get; set; } = "";

    /// <summary>Group.</summary>
    public string Group { get; set; } = "";

    /// <summary>Permissions, e.g. <c>rwxr-xr-x</c>.</summary>
    public string Permissions { get; set; } = "";

    /// <summary>Modification time, <c>YYYY-MM-DDTHH:MM:SS</c>.</summary>
    public string LastModified { get; set; } = "";

    /// <summary>Size in bytes, as a string (upstream quirk).</summary>
    public string Size { get; set; } = "";
}

/// <summary>Result of <c>stat</c> (wire model <c>FileStat</c>).</summary>
public sealed class FileStat
{
    /// <summary>Mode bits (from hex <c>%f</c>).</summary>
    public long Mode { get; set; }

    /// <summary>Inode.</summary>
    public long Ino { get; set; }

    /// <summary>Device.</summary>
    public long Dev { get; set; }

    /// <summary>Hard links.</summary>
    public long Nlink { get; set; }

    /// <summary>Owner uid.</summary>
    public long Uid { get; set; }

    /// <summary>Group gid.</summary>
    public long Gid { get; set; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>Access time (epoch seconds).</summary>
    public long Atime { get; set; }

    /// <summary>Modification time (epoch seconds).</summary>
    public long Mtime { get; set; }

    /// <summary>Change time (epoch seconds).</summary>
    public long Ctime { get; set; }
}

/// <summary>Part of a file returned by head or tail (wire model <c>FileContent</c>).</summary>
public sealed class FileContent
{
    /// <summary>The text.</summary>
    public string Content { get; set; } = "";

    /// <summary><c>lines</c> or <c>bytes</c>.</summary>
    public string ContentType { get; set; } = "lines";

    /// <summary>Start position as upstream reports it.</summary>
    public long StartPosition { get; set; }

    /// <summary>End position as upstream reports it.</summary>
    public long EndPosition { get; set; }
}

/// <summary>A file checksum (wire model <c>FileChecksum</c>).</summary>
public sealed class FileChecksum
{
    /// <summary>Always <c>SHA256</c>.</summary>
    public string Algorithm { get; set; } = "SHA256";

    /// <summary>Lower-case hex digest.</summary>
    public string Checksum { get; set; } = "";
}

/// <summary>Options of a directory listing.</summary>
/// <param name="ShowHidden">Include dot files.</param>
/// <param name="NumericUid">Numeric user and group ids.</param>
/// <param name="Recursive">Descend into sub-directories.</param>
/// <param name="Dereference">Follow symbolic links.</param>
public sealed record ListOptions(bool ShowHidden = false, bool NumericUid = false, bool Recursive = false, bool Dereference = false);

/// <summary>Compression of an archive.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CompressionType>))]
public enum CompressionType
{
    /// <summary>gzip (default).</summary>
    Gzip,

    /// <summary>bzip2.</summary>
    Bzip2,

    /// <summary>xz.</summary>
    Xz,

    /// <summary>Plain tar.</summary>
    None,
}

/// <summary>What to compress.</summary>
/// <param name="SourcePath">File or directory to archive.</param>
/// <param name="TargetPath">Archive to write.</param>
/// <param name="MatchPattern">Optional regular expression of files to include.</param>
/// <param name="Dereference">Follow symbolic links.</param>
/// <param name="Compression">Compression.</param>
public sealed record CompressRequest(RemotePath SourcePath, RemotePath TargetPath, string? MatchPattern = null, bool Dereference = false, CompressionType Compression = CompressionType.Gzip);

/// <summary>What to extract.</summary>
/// <param name="SourcePath">Archive.</param>
/// <param name="TargetPath">Directory to extract into.</param>
/// <param name="Compression">Compression.</param>
public sealed record ExtractRequest(RemotePath SourcePath, RemotePath TargetPath, CompressionType Compression = CompressionType.Gzip);
