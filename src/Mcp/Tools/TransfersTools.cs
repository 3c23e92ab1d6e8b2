using System.ComponentModel;
using Firecrest.Core;
using Firecrest.Core.DataTransfer.Client;
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
    private static readonly HttpClient PresignedHttp = new() { Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>Result of <c>upload_file</c> and <c>download_file</c>.</summary>
    /// <param name="System">System name.</param>
    /// <param name="LocalPath">The file on this machine.</param>
    /// <param name="RemotePath">The file on the cluster.</param>
    /// <param name="Bytes">Size in bytes.</param>
    /// <param name="Direction">upload or download.</param>
    public sealed record FileTransfer(string System, string LocalPath, string RemotePath, long Bytes, string Direction);

    /// <summary>Copies a local file to the cluster.</summary>
    [McpServerTool(Name = "upload_file", Title = "Upload file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileTransfer))]
    [Description("Copies a file of any size from the machine this MCP server runs on (your local computer) to the cluster, replacing the " +
        "remote file if it exists. Small files go directly; large ones through a transfer job: streamed straight to it where the system's " +
        "data transfer is streamer, else staged through the system's object storage with automatic retries and resume after an interruption " +
        "(call again with the same paths); progress and a SHA-256 check at the end either way. " +
        "The remote directory must exist (make_directory). Use it to send input data or programs to the cluster.")]
    public async Task<CallToolResult> UploadFile(
        [Description("System name from list_systems.")] string system,
        [Description("Path of the file on the local machine (absolute, or relative to the server's working directory).")] string local_path,
        [Description("Absolute path the file gets on the cluster.")] string remote_path,
        [Description("Scheduler account charged for the transfer job of a large file (see get_user_info); needed on systems that require one.")] string? account = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(remote_path, "remote_path");
        var local = Path.GetFullPath(local_path);
        if (!File.Exists(local)) throw new McpException($"The local file '{local}' does not exist. Give the path of an existing file on this machine.");
        var size = new FileInfo(local).Length;
        var mover = new FileTransferClient(operations.Get(), PresignedHttp);
        await mover.UploadAsync(system, local, remote, new FileTransferOptions { Account = account }, Report(progress), cancellationToken);
        return ToolResults.Of(new FileTransfer(system, local, remote_path, size, "upload"), $"Uploaded {size} bytes from {local} to {system}:{remote_path} (SHA-256 verified).");
    }

    /// <summary>Copies a cluster file to the local machine.</summary>
    [McpServerTool(Name = "download_file", Title = "Download file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileTransfer))]
    [Description("Copies a file of any size from the cluster to the machine this MCP server runs on (your local computer), replacing the " +
        "local file if it exists. Large files come from a transfer job (streamed from it on streamer systems, else staged and fetched in " +
        "parallel ranges; an interrupted staged download resumes when called again) and are checked with SHA-256. Use it to fetch results; " +
        "for a quick look at text use read_file instead.")]
    public async Task<CallToolResult> DownloadFile(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path of the file on the cluster.")] string remote_path,
        [Description("Path the file gets on the local machine (absolute, or relative to the server's working directory). Its directory must exist.")] string local_path,
        [Description("Scheduler account charged for the transfer job of a large file (see get_user_info); needed on systems that require one.")] string? account = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(remote_path, "remote_path");
        var local = Path.GetFullPath(local_path);
        if (Path.GetDirectoryName(local) is { } dir && !Directory.Exists(dir))
            throw new McpException($"The local directory '{dir}' does not exist. Create it or choose another local_path.");
        var mover = new FileTransferClient(operations.Get(), PresignedHttp);
        await mover.DownloadAsync(system, remote, local, new FileTransferOptions { Account = account }, Report(progress), cancellationToken);
        var size = new FileInfo(local).Length;
        return ToolResults.Of(new FileTransfer(system, local, remote_path, size, "download"), $"Downloaded {size} bytes from {system}:{remote_path} to {local} (SHA-256 verified).");
    }

    private static IProgress<TransferProgress>? Report(IProgress<ProgressNotificationValue>? progress) =>
        progress is null ? null : new Progress<TransferProgress>(p => progress.Report(new ProgressNotificationValue
        {
            Progress = p.BytesDone,
            Total = p.TotalBytes,
            Message = $"{p.Phase}: {p.BytesDone}/{p.TotalBytes} bytes at {p.BytesPerSecond / (1024 * 1024):0.0} MiB/s",
        }));
}
