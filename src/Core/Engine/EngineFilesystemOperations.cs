using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>File operations of the engine for one user: forwards to the system's <see cref="FileSystem.RemoteFileSystem"/>.</summary>
internal sealed class EngineFilesystemOperations(FirecrestEngine engine, UserIdentity user) : IFilesystemOperations
{
    public Task<IReadOnlyList<RemoteFile>> ListAsync(string system, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ListAsync(user, path, options, cancellationToken);

    public Task<FileContent> HeadAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.HeadAsync(user, path, bytes, lines, skipTrailing, cancellationToken);

    public Task<FileContent> TailAsync(string system, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.TailAsync(user, path, bytes, lines, skipHeading, cancellationToken);

    public Task<string> ViewAsync(string system, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ViewAsync(user, path, size, offset, cancellationToken);

    public Task<FileChecksum> ChecksumAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ChecksumAsync(user, path, cancellationToken);

    public Task<string> FileTypeAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.FileTypeAsync(user, path, cancellationToken);

    public Task<FileStat> StatAsync(string system, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.StatAsync(user, path, dereference, cancellationToken);

    public Task<RemoteFile> MakeDirectoryAsync(string system, RemotePath path, bool parent = false, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.MakeDirectoryAsync(user, path, parent, cancellationToken);

    public Task<RemoteFile> SymlinkAsync(string system, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.SymlinkAsync(user, path, linkPath, cancellationToken);

    public Task<RemoteFile> ChmodAsync(string system, RemotePath path, string mode, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ChmodAsync(user, path, mode, cancellationToken);

    public Task<RemoteFile> ChownAsync(string system, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ChownAsync(user, path, owner, group, cancellationToken);

    public Task RemoveAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.RemoveAsync(user, path, cancellationToken);

    public Task<byte[]> DownloadAsync(string system, RemotePath path, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.DownloadAsync(user, path, cancellationToken);

    public Task UploadAsync(string system, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.UploadAsync(user, directory, fileName, content, cancellationToken);

    public Task CompressAsync(string system, CompressRequest request, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.CompressAsync(user, request, cancellationToken);

    public Task ExtractAsync(string system, ExtractRequest request, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Files.ExtractAsync(user, request, cancellationToken);
}
