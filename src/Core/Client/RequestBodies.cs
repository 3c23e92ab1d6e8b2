using Firecrest.Core.Models;

namespace Firecrest.Core.Client;

/// <summary>
/// The JSON bodies the client sends, as named types so that the source-generated serializer knows them; written with
/// the wire options, camelCase and without null members.
/// </summary>
internal static class RequestBodies
{
    /// <summary><c>{job}</c> of <c>POST jobs</c>.</summary>
    public sealed record Submit(JobDescription Job);

    /// <summary><c>{command}</c> of <c>PUT jobs/{id}/attach</c>.</summary>
    public sealed record Attach(string Command);

    /// <summary><c>{path, parent}</c> of <c>POST ops/mkdir</c>.</summary>
    public sealed record Mkdir(RemotePath Path, bool Parent);

    /// <summary><c>{path, linkPath}</c> of <c>POST ops/symlink</c>.</summary>
    public sealed record Symlink(RemotePath Path, RemotePath LinkPath);

    /// <summary><c>{path, mode}</c> of <c>PUT ops/chmod</c>.</summary>
    public sealed record Chmod(RemotePath Path, string Mode);

    /// <summary><c>{path, owner, group}</c> of <c>PUT ops/chown</c>; empty leaves a part unchanged.</summary>
    public sealed record Chown(RemotePath Path, string Owner, string Group);

    /// <summary><c>{path, account?, transferDirectives}</c> of <c>POST transfer/upload</c> and <c>transfer/download</c>.</summary>
    public sealed record TransferStart(RemotePath Path, string? Account, Directives TransferDirectives);

    /// <summary><c>{transferMethod, fileSize?}</c>: the size only for an S3 upload.</summary>
    public sealed record Directives(TransferMethod TransferMethod, long? FileSize = null);

    /// <summary><c>{sourcePath, targetPath, account?}</c> of <c>POST transfer/mv</c>.</summary>
    public sealed record Move(RemotePath SourcePath, RemotePath TargetPath, string? Account);

    /// <summary><c>{sourcePath, targetPath, dereference, account?}</c> of <c>POST transfer/cp</c>.</summary>
    public sealed record Copy(RemotePath SourcePath, RemotePath TargetPath, bool Dereference, string? Account);

    /// <summary><c>{sourcePath, targetPath, matchPattern?, dereference, compression, account?}</c> of the compress routes.</summary>
    public sealed record Compress(RemotePath SourcePath, RemotePath TargetPath, string? MatchPattern, bool Dereference, CompressionType Compression, string? Account)
    {
        public static Compress Of(CompressRequest r, string? account) => new(r.SourcePath, r.TargetPath, r.MatchPattern, r.Dereference, r.Compression, account);
    }

    /// <summary><c>{sourcePath, targetPath, compression, account?}</c> of the extract routes.</summary>
    public sealed record Extract(RemotePath SourcePath, RemotePath TargetPath, CompressionType Compression, string? Account)
    {
        public static Extract Of(ExtractRequest r, string? account) => new(r.SourcePath, r.TargetPath, r.Compression, account);
    }
}
