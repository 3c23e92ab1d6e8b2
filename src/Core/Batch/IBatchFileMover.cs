using Firecrest.Core.Operations;

namespace Firecrest.Core.Batch;

/// <summary>Moves the inputs and outputs of batch jobs between this machine and the cluster.</summary>
public interface IBatchFileMover
{
    /// <summary>Uploads local file <paramref name="localPath"/> to <paramref name="remotePath"/> (its folder is created).</summary>
    Task UploadAsync(string system, string localPath, string remotePath, CancellationToken cancellationToken);

    /// <summary>Downloads <paramref name="remotePath"/> to local file <paramref name="localPath"/> (its folder is created).</summary>
    Task DownloadAsync(string system, string remotePath, string localPath, CancellationToken cancellationToken);
}

/// <summary>The default mover: small files through the file operations (at most the server's max_ops_file_size).</summary>
public sealed class FilesBatchFileMover(IHpcOperations operations) : IBatchFileMover
{
    /// <inheritdoc />
    public async Task UploadAsync(string system, string localPath, string remotePath, CancellationToken cancellationToken)
    {
        var remote = RemotePath.Parse(remotePath, "remote").AsFile("remote");
        var (directory, name) = (remote.Parent, remote.Name);
        await operations.Files.MakeDirectoryAsync(system, directory, parent: true, cancellationToken).ConfigureAwait(false);
        await using var content = File.OpenRead(localPath);
        await operations.Files.UploadAsync(system, directory, name, content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DownloadAsync(string system, string remotePath, string localPath, CancellationToken cancellationToken)
    {
        var bytes = await operations.Files.DownloadAsync(system, RemotePath.Parse(remotePath, "remote"), cancellationToken).ConfigureAwait(false);
        var folder = Path.GetDirectoryName(Path.GetFullPath(localPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        var temp = localPath + ".part";
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temp, localPath, overwrite: true);
    }
}
