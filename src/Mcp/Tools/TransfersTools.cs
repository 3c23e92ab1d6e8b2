using System.ComponentModel;
using Firecrest.Core;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>
/// Files between the agent's own machine and the cluster. Only registered over stdio, where the server runs on the
/// agent's machine (<see cref="McpToolOptions.LocalFiles"/>).
/// </summary>
[McpServerToolType]
public sealed class TransfersTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    /// <summary>Result of <c>upload_file</c> and <c>download_file</c>.</summary>
    public sealed record FileTransfer(string System, string LocalPath, string RemotePath, long Bytes, string Direction);

    /// <summary>Copies a local file to the cluster.</summary>
    [McpServerTool(Name = "upload_file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileTransfer))]
    [Description("Copies a file from the machine this MCP server runs on (your local computer) to the cluster, replacing the remote file if it exists. " +
        "The remote directory must exist (make_directory). Use it to send input data or programs to the cluster.")]
    public async Task<CallToolResult> UploadFile(
        [Description("System name from list_systems.")] string system,
        [Description("Path of the file on the local machine (absolute, or relative to the server's working directory).")] string local_path,
        [Description("Absolute path the file gets on the cluster.")] string remote_path,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); guard.Path(remote_path, "remote_path");
        var local = Path.GetFullPath(local_path);
        if (!File.Exists(local)) throw new McpException($"The local file '{local}' does not exist. Give the path of an existing file on this machine.");
        var (directory, name) = FilesTools.Split(remote_path);
        await using var stream = File.OpenRead(local);
        var size = stream.Length;
        try { await operations.Get().Files.UploadAsync(system, directory, name, stream, cancellationToken); }
        catch (HpcException e) when (e.Kind == HpcErrorKind.TooLarge)
        {
            throw new McpException($"'{local}' ({size} bytes) is larger than this system accepts in one direct upload ({e.Message}). Split it into smaller files and upload them one by one.");
        }
        return ToolResults.Of(new FileTransfer(system, local, remote_path, size, "upload"), $"Uploaded {size} bytes from {local} to {system}:{remote_path}.");
    }

    /// <summary>Copies a cluster file to the local machine.</summary>
    [McpServerTool(Name = "download_file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileTransfer))]
    [Description("Copies a file from the cluster to the machine this MCP server runs on (your local computer), replacing the local file if it exists. " +
        "Use it to fetch results; for a quick look at text use read_file instead.")]
    public async Task<CallToolResult> DownloadFile(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path of the file on the cluster.")] string remote_path,
        [Description("Path the file gets on the local machine (absolute, or relative to the server's working directory). Its directory must exist.")] string local_path,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); guard.Path(remote_path, "remote_path");
        var local = Path.GetFullPath(local_path);
        if (Path.GetDirectoryName(local) is { } dir && !Directory.Exists(dir))
            throw new McpException($"The local directory '{dir}' does not exist. Create it or choose another local_path.");
        byte[] data;
        try { data = await operations.Get().Files.DownloadAsync(system, remote_path, cancellationToken); }
        catch (HpcException e) when (e.Kind == HpcErrorKind.TooLarge)
        {
            throw new McpException($"{remote_path} is larger than this system sends in one direct download ({e.Message}). Compress or split it on the cluster first (e.g. with a job running 'split').");
        }
        var partial = local + ".part";
        await File.WriteAllBytesAsync(partial, data, cancellationToken);
        File.Move(partial, local, overwrite: true);
        return ToolResults.Of(new FileTransfer(system, local, remote_path, data.LongLength, "download"), $"Downloaded {data.LongLength} bytes from {system}:{remote_path} to {local}.");
    }
}
