using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>Files on the cluster: list, read, write, inspect, create, remove, move, copy.</summary>
[McpServerToolType]
public sealed class FilesTools(IHpcOperationsAccessor operations, ToolGuard guard, TimeProvider time)
{
    /// <summary>Result of <c>read_file</c>.</summary>
    /// <param name="Path">The file read.</param>
    /// <param name="Mode">head, tail or window.</param>
    /// <param name="Content">The text read (capped in size).</param>
    /// <param name="Truncated">True when the content was cut at the size cap.</param>
    public sealed record FileText(string Path, string Mode, string Content, bool Truncated);

    /// <summary>Result of the tools that change a path.</summary>
    /// <param name="System">System name.</param>
    /// <param name="Path">The path changed (the source of a move or copy).</param>
    /// <param name="Action">What happened: written, created, removed, moved, copied, or in progress.</param>
    /// <param name="Target">Target of a move or copy.</param>
    /// <param name="JobId">Transfer job that did a move or copy.</param>
    public sealed record PathChange(string System, string Path, string Action, string? Target = null, string? JobId = null);

    /// <summary>Result of <c>checksum</c>.</summary>
    /// <param name="Path">The file.</param>
    /// <param name="Algorithm">Checksum algorithm (SHA-256).</param>
    /// <param name="Checksum">Hex digest.</param>
    public sealed record PathChecksum(string Path, string Algorithm, string Checksum);

    [McpServerTool(Name = "list_directory", Title = "List directory", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ListResult<RemoteFile>))]
    [Description("Lists the files and directories in a directory on the cluster (like 'ls -l'): name, type (d directory, - file, l link), size in bytes, owner, permissions and time of last change.")]
    public async Task<CallToolResult> ListDirectory(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute directory path on the cluster, e.g. the home directory from get_user_info.")] string path,
        [Description("Also list hidden files whose names start with '.' (default false).")] bool show_hidden = false,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        var files = await operations.Get().Files.ListAsync(system, remote, new ListOptions(ShowHidden: show_hidden), cancellationToken);
        var text = $"{files.Count} entr{(files.Count == 1 ? "y" : "ies")} in {path}: " +
                   string.Join(", ", files.Take(50).Select(f => f.Type == "d" ? f.Name + "/" : f.Name)) + (files.Count > 50 ? ", ..." : "");
        return ToolResults.List(files, text);
    }

    /// <summary>Reads part of a text file.</summary>
    [McpServerTool(Name = "read_file", Title = "Read file", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileText))]
    [Description("Reads a text file on the cluster: its first lines (mode \"head\", default), its last lines (mode \"tail\") or a window of bytes " +
        "(mode \"window\" with offset and size). The result is capped in size and says when it was cut; read further with a window.")]
    public async Task<CallToolResult> ReadFile(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute file path on the cluster.")] string path,
        [Description("\"head\" (start of the file, default), \"tail\" (end of the file) or \"window\" (bytes from offset).")][AllowedValues("head", "tail", "window")] string mode = "head",
        [Description("Lines to read for head or tail (1 to 100000, default 200).")][Range(1, 100000)] int lines = 200,
        [Description("For mode window: first byte to read (0-based, default 0).")][Range(0d, 9007199254740991d)] long offset = 0,
        [Description("For mode window: bytes to read (default: the size cap).")][Range(1d, 9007199254740991d)] long? size = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        if (lines is < 1 or > 100000) throw new McpException("lines must be between 1 and 100000.");
        var cap = guard.Options.MaxOutputBytes;
        var files = operations.Get().Files;
        string content;
        switch (mode)
        {
            case "head": content = (await files.HeadAsync(system, remote, lines: lines, cancellationToken: cancellationToken)).Content; break;
            case "tail": content = (await files.TailAsync(system, remote, lines: lines, cancellationToken: cancellationToken)).Content; break;
            case "window":
                if (offset < 0 || size is <= 0) throw new McpException("offset must be 0 or more and size more than 0.");
                content = await files.ViewAsync(system, remote, Math.Min(size ?? cap, cap), offset, cancellationToken);
                break;
            default: throw new McpException("mode must be \"head\", \"tail\" or \"window\".");
        }
        var (text, truncated) = ToolResults.Cap(content, cap, keepEnd: mode == "tail");
        var result = new FileText(path, mode, text, truncated);
        return ToolResults.Of(result, truncated ? text + $"\n[cut at {cap} bytes: use mode \"window\" with an offset to read more]" : text);
    }

    /// <summary>Writes a small text file.</summary>
    [McpServerTool(Name = "write_file", Title = "Write file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChange))]
    [Description("Writes a small text file on the cluster (for example a job script or an input file), replacing it if it exists. " +
        "The directory must exist (make_directory creates it). For large or binary files use upload_file.")]
    public async Task<CallToolResult> WriteFile(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path of the file to write.")] string path,
        [Description("The whole text to write (UTF-8).")] string content,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        var bytes = Encoding.UTF8.GetBytes(content ?? "");
        if (bytes.Length > guard.Options.MaxWriteBytes)
            throw new McpException($"The content has {bytes.Length} bytes; write_file takes at most {guard.Options.MaxWriteBytes}. Use upload_file for large files.");
        var file = remote.AsFile();
        using var stream = new MemoryStream(bytes);
        await operations.Get().Files.UploadAsync(system, file.Parent, file.Name, stream, cancellationToken);
        return ToolResults.Of(new PathChange(system, path, "written"), $"Wrote {bytes.Length} bytes to {path}.");
    }

    /// <summary>stat of a path.</summary>
    [McpServerTool(Name = "stat_path", Title = "Path info", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(FileStat))]
    [Description("Shows facts about a file or directory: size in bytes, mode (permissions), owner ids and times (seconds since 1970). Fails with 'not found' when the path does not exist, so it also tells whether a path exists.")]
    public async Task<CallToolResult> StatPath(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path on the cluster.")] string path,
        [Description("Follow a symbolic link to its target (default false).")] bool follow_links = false,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        var stat = await operations.Get().Files.StatAsync(system, remote, follow_links, cancellationToken);
        var kind = (stat.Mode & 0xF000) switch { 0x4000 => "directory", 0x8000 => "file", 0xA000 => "symbolic link", _ => "special file" };
        return ToolResults.Of(stat, $"{path}: {kind}, {stat.Size} bytes, mode {Convert.ToString(stat.Mode & 0xFFF, 8)}, modified {DateTimeOffset.FromUnixTimeSeconds(stat.Mtime):u}.");
    }

    /// <summary>SHA-256 of a file.</summary>
    [McpServerTool(Name = "checksum", Title = "Checksum", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChecksum))]
    [Description("Computes the SHA-256 checksum of a file on the cluster, to check that a copy or transfer is identical to the original.")]
    public async Task<CallToolResult> Checksum(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute file path on the cluster.")] string path,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        var sum = await operations.Get().Files.ChecksumAsync(system, remote, cancellationToken);
        return ToolResults.Of(new PathChecksum(path, sum.Algorithm, sum.Checksum), $"{sum.Algorithm} of {path}: {sum.Checksum}");
    }

    [McpServerTool(Name = "make_directory", Title = "Make directory", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChange))]
    [Description("Creates a directory on the cluster. With parents=true (default) missing parent directories are created too and an existing directory is not an error.")]
    public async Task<CallToolResult> MakeDirectory(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path of the directory to create.")] string path,
        [Description("Create missing parent directories too (default true).")] bool parents = true,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        await operations.Get().Files.MakeDirectoryAsync(system, remote, parents, cancellationToken);
        return ToolResults.Of(new PathChange(system, path, "created"), $"Created directory {path}.");
    }

    [McpServerTool(Name = "remove_path", Title = "Remove path", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChange))]
    [Description("Deletes a file, or a directory with everything in it, on the cluster. There is no undo and no trash: check the path with list_directory first.")]
    public async Task<CallToolResult> RemovePath(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path of the file or directory to delete.")] string path,
        CancellationToken cancellationToken = default)
    {
        guard.System(system); var remote = guard.Path(path);
        await operations.Get().Files.RemoveAsync(system, remote, cancellationToken);
        return ToolResults.Of(new PathChange(system, path, "removed"), $"Removed {path}.");
    }

    /// <summary>Moves or renames a path.</summary>
    [McpServerTool(Name = "move_path", Title = "Move path", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChange))]
    [Description("Moves or renames a file or directory on the cluster (like 'mv'); an existing target file is replaced. " +
        "Runs as a small transfer job and waits for it (reports progress).")]
    public Task<CallToolResult> MovePath(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path to move.")] string source_path,
        [Description("Absolute new path (or an existing directory to move into).")] string target_path,
        RequestContext<CallToolRequestParams> context,
        [Description("Longest time to wait for the move in seconds (1 to 86400, default 600).")][Range(1, 86400)] int timeout_seconds = 600,
        [Description("Account (project) the transfer job is charged to, when the system requires one; see get_user_info.")] string? account = null,
        CancellationToken cancellationToken = default) =>
        TransferAsync(system, source_path, target_path, "moved", context, timeout_seconds,
            (t, ct) => t.MoveAsync(system, guard.Path(source_path, "source_path"), guard.Path(target_path, "target_path"), string.IsNullOrWhiteSpace(account) ? null : account, ct), cancellationToken);

    [McpServerTool(Name = "copy_path", Title = "Copy path", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(PathChange))]
    [Description("Copies a file or directory (with its contents) on the cluster (like 'cp -r'); an existing target file is overwritten. Runs as a small transfer job and waits for it (reports progress).")]
    public Task<CallToolResult> CopyPath(
        [Description("System name from list_systems.")] string system,
        [Description("Absolute path to copy.")] string source_path,
        [Description("Absolute path of the copy (or an existing directory to copy into).")] string target_path,
        RequestContext<CallToolRequestParams> context,
        [Description("Longest time to wait for the copy in seconds (1 to 86400, default 600).")][Range(1, 86400)] int timeout_seconds = 600,
        [Description("Account (project) the transfer job is charged to, when the system requires one; see get_user_info.")] string? account = null,
        CancellationToken cancellationToken = default) =>
        TransferAsync(system, source_path, target_path, "copied", context, timeout_seconds,
            (t, ct) => t.CopyAsync(system, guard.Path(source_path, "source_path"), guard.Path(target_path, "target_path"), account: string.IsNullOrWhiteSpace(account) ? null : account, cancellationToken: ct), cancellationToken);

    private async Task<CallToolResult> TransferAsync(string system, string source, string target, string action,
        RequestContext<CallToolRequestParams> context, int timeoutSeconds,
        Func<Firecrest.Core.Operations.ITransferOperations, CancellationToken, Task<TransferJob>> start, CancellationToken cancellationToken)
    {
        guard.System(system); guard.Path(source, "source_path"); guard.Path(target, "target_path"); // before the job starts
        if (timeoutSeconds is < 1 or > 86400) throw new McpException("timeout_seconds must be between 1 and 86400.");
        var ops = operations.Get();
        var job = await start(ops.Transfers, cancellationToken);
        var waited = await McpWaitProgress.WaitAsync(ops, time, context, "transfer job", system, job.JobId,
            new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), factor: 1.5), TimeSpan.FromSeconds(timeoutSeconds), cancellationToken);
        var state = waited.Job?.State.ToString().ToLowerInvariant() ?? "submitted";
        if (waited.TimedOut)
            return ToolResults.Of(new PathChange(system, source, "in progress", target, job.JobId),
                $"The transfer job {job.JobId} is still {state}; call wait_for_job with job_id \"{job.JobId}\".");
        if (waited.Job!.State == JobState.Completed)
            return ToolResults.Of(new PathChange(system, source, action, target, job.JobId), $"{source} {action} to {target} (job {job.JobId}).");
        var failure = await JobFailure.ExplainAsync(ops, system, waited.Job, job.Logs.ErrorLog, cancellationToken: cancellationToken);
        var log = failure.StandardErrorTail is { } tail ? ToolResults.Cap(tail, 2000, true).Text : "no error log";
        throw new McpException($"The transfer job {job.JobId} ended {state}: {log}. Check both paths with stat_path.");
    }
}
