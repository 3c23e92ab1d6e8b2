using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>Transfer operations of the engine for one user: forwards to the system's <see cref="DataTransfer.TransferService"/>.</summary>
internal sealed class EngineTransferOperations(FirecrestEngine engine, UserIdentity user) : ITransferOperations
{
    public Task<TransferResponse> StartUploadAsync(string system, RemotePath path, long fileSize, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.StartUploadAsync(user, path, fileSize, account, cancellationToken: cancellationToken);

    public Task<TransferResponse> StartDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.StartDownloadAsync(user, path, account, cancellationToken: cancellationToken);

    public Task<TransferResponse> StartStreamerUploadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.StartUploadAsync(user, path, null, account, TransferMethod.Streamer, cancellationToken);

    public Task<TransferResponse> StartStreamerDownloadAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.StartDownloadAsync(user, path, account, TransferMethod.Streamer, cancellationToken);

    public Task<TransferJob> MoveAsync(string system, RemotePath sourcePath, RemotePath targetPath, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.MoveAsync(user, sourcePath, targetPath, account, cancellationToken);

    public Task<TransferJob> CopyAsync(string system, RemotePath sourcePath, RemotePath targetPath, bool dereference = false, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.CopyAsync(user, sourcePath, targetPath, dereference, account, cancellationToken);

    public Task<TransferJob> RemoveAsync(string system, RemotePath path, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.RemoveAsync(user, path, account, cancellationToken);

    public Task<TransferJob> CompressAsync(string system, CompressRequest request, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.CompressAsync(user, request, account, cancellationToken);

    public Task<TransferJob> ExtractAsync(string system, ExtractRequest request, string? account = null, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Transfers.ExtractAsync(user, request, account, cancellationToken);
}
