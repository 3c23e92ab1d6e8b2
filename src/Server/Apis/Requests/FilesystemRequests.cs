using Firecrest.Core.Models;

namespace Firecrest.Server.Apis.Requests;

/// <summary>Body of <c>POST /ops/mkdir</c>.</summary>
public sealed class MkdirRequest : ISourcePathRequest
{
    /// <summary>Directory to create.</summary>
    [JsonAlias("sourcePath")]
    public string? Path { get; set; }

    /// <summary>Create missing parents.</summary>
    public bool Parent { get; set; }

    string? ISourcePathRequest.SourcePath => Path;
}

/// <summary>Body of <c>POST /ops/symlink</c>.</summary>
public sealed class SymlinkRequest : ISourcePathRequest
{
    /// <summary>Target of the link.</summary>
    [JsonAlias("sourcePath")]
    public string? Path { get; set; }

    /// <summary>The link to create.</summary>
    public string? LinkPath { get; set; }

    string? ISourcePathRequest.SourcePath => Path;
}

/// <summary>Body of <c>PUT /ops/chmod</c>.</summary>
public sealed class ChmodRequest : ISourcePathRequest
{
    /// <summary>File or directory.</summary>
    [JsonAlias("sourcePath")]
    public string? Path { get; set; }

    /// <summary>Octal mode, e.g. <c>755</c>.</summary>
    public string? Mode { get; set; }

    string? ISourcePathRequest.SourcePath => Path;
}

/// <summary>Body of <c>PUT /ops/chown</c>.</summary>
public sealed class ChownRequest : ISourcePathRequest
{
    /// <summary>File or directory.</summary>
    [JsonAlias("sourcePath")]
    public string? Path { get; set; }

    /// <summary>New owner (empty = unchanged).</summary>
    public string? Owner { get; set; }

    /// <summary>New group (empty = unchanged).</summary>
    public string? Group { get; set; }

    string? ISourcePathRequest.SourcePath => Path;
}

/// <summary>Body of <c>POST /ops/compress</c> and <c>POST /transfer/compress</c>.</summary>
public sealed class CompressBody : ISourcePathRequest
{
    /// <summary>File or directory to archive.</summary>
    [JsonAlias("path")]
    public string? SourcePath { get; set; }

    /// <summary>Archive to write.</summary>
    public string? TargetPath { get; set; }

    /// <summary>Optional regular expression of files to include.</summary>
    public string? MatchPattern { get; set; }

    /// <summary>Follow symbolic links.</summary>
    public bool Dereference { get; set; }

    /// <summary>none, bzip2, gzip (default) or xz.</summary>
    public CompressionType Compression { get; set; } = CompressionType.Gzip;

    /// <summary>Account charged (transfer only).</summary>
    public string? Account { get; set; }
}

/// <summary>Body of <c>POST /ops/extract</c> and <c>POST /transfer/extract</c>.</summary>
public sealed class ExtractBody : ISourcePathRequest
{
    /// <summary>Archive.</summary>
    [JsonAlias("path")]
    public string? SourcePath { get; set; }

    /// <summary>Directory to extract into.</summary>
    public string? TargetPath { get; set; }

    /// <summary>none, bzip2, gzip (default) or xz.</summary>
    public CompressionType Compression { get; set; } = CompressionType.Gzip;

    /// <summary>Account charged (transfer only).</summary>
    public string? Account { get; set; }
}
