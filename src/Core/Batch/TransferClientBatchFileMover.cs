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
        var remote = RemotePath.Parse(remotePath, "remote").AsFile("remote");
        if (!remote.Parent.IsRoot)
            await _operations.Files.MakeDirectoryAsync(system, remote.Parent, parent: true, cancellationToken).ConfigureAwait(false);
        await _client.UploadAsync(system, localPath, remote, _options, progress: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DownloadAsync(string system, string remotePath, string localPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(localPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        return _client.DownloadAsync(system, RemotePath.Parse(remotePath, "remote"), localPath, _options, progress: null, cancellationToken);
    }
}
