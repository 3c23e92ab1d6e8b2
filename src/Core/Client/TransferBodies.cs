using Firecrest.Core.Models;

namespace Firecrest.Core.Client;

/// <summary>Request bodies shared by the <c>ops</c> and <c>transfer</c> compress/extract routes.</summary>
internal static class TransferBodies
{
    /// <summary><c>{sourcePath, targetPath, matchPattern?, dereference, compression, account?}</c>.</summary>
    public static object Compress(CompressRequest r, string? account) => new
    {
        sourcePath = r.SourcePath,
        targetPath = r.TargetPath,
        matchPattern = r.MatchPattern,
        dereference = r.Dereference,
        compression = r.Compression,
        account,
    };

    /// <summary><c>{sourcePath, targetPath, compression, account?}</c>.</summary>
    public static object Extract(ExtractRequest r, string? account) => new
    {
        sourcePath = r.SourcePath,
        targetPath = r.TargetPath,
        compression = r.Compression,
        account,
    };
}
