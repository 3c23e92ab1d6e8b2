using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Batch;

/// <summary>
/// Moves batch inputs and outputs of any size through <see cref="FileTransferClient"/>: small files through the file
/// operations, larger ones staged through S3 (with resume and a SHA-256 check).
/// </summary>
/// <param name="operations">Operations used to create the remote folder of an upload.</param>
/// <param name="client">The transfer client.</param>
/// <param name="options">Transfer options (e.g. the account of the transfer jobs); defaults when null.</param>
public sealed class TransferClientBatchFileMover(IHpcOperations operations, FileTransferClient client, FileTransferOptions? options = null) : IBatchFileMover
{
    private readonly IHpcOperations _operations = operations ?? throw new ArgumentNullException(nameof(operations));
    private readonly FileTransferClient _client = client ?? throw new ArgumentNullException(nameof(client));
    private readonly FileTransferOptions _options = options ?? new FileTransferOptions();

    /// <inheritdoc />
    public async Task UploadAsync(string system, string localPath, string remotePath, CancellationToken cancellationToken)
    {
        var slash = remotePath.LastIndexOf('/');
        if (slash < 0 || slash == remotePath.Length - 1)
            throw new HpcException(HpcErrorKind.InvalidArgument, $"'{remotePath}' is not an absolute path of a file.");
        if (slash > 0)
            await _operations.Files.MakeDirectoryAsync(system, remotePath[..slash], parent: true, cancellationToken).ConfigureAwait(false);
        await _client.UploadAsync(system, localPath, remotePath, _options, progress: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DownloadAsync(string system, string remotePath, string localPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(localPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        return _client.DownloadAsync(system, remotePath, localPath, _options, progress: null, cancellationToken);
    }
}
