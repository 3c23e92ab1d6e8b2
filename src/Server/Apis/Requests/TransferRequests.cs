namespace Firecrest.Server.Apis.Requests;

/// <summary>Transfer directives of a request, discriminated by <c>transferMethod</c>.</summary>
public sealed class TransferDirectivesBody
{
    /// <summary><c>s3</c>, <c>streamer</c> or <c>wormhole</c>.</summary>
    public string? TransferMethod { get; set; }

    /// <summary>S3 upload: file size in bytes.</summary>
    public long? FileSize { get; set; }

    /// <summary>Wormhole: the code.</summary>
    public string? WormholeCode { get; set; }
}

/// <summary>Body of <c>POST /transfer/upload</c> and <c>POST /transfer/download</c>.</summary>
public sealed class TransferFileRequest : ISourcePathRequest
{
    /// <summary>Upload: the target file; download: the source file.</summary>
    [JsonAlias("sourcePath")]
    public string? Path { get; set; }

    /// <summary>Account charged.</summary>
    public string? Account { get; set; }

    /// <summary>How the data moves.</summary>
    public TransferDirectivesBody? TransferDirectives { get; set; }

    string? ISourcePathRequest.SourcePath => Path;
}

/// <summary>Body of <c>POST /transfer/mv</c> and <c>POST /transfer/cp</c>.</summary>
public sealed class MoveCopyRequest : ISourcePathRequest
{
    /// <summary>Source.</summary>
    [JsonAlias("path")]
    public string? SourcePath { get; set; }

    /// <summary>Target.</summary>
    public string? TargetPath { get; set; }

    /// <summary>Account charged.</summary>
    public string? Account { get; set; }

    /// <summary>Follow symbolic links (cp only).</summary>
    public bool Dereference { get; set; }
}
