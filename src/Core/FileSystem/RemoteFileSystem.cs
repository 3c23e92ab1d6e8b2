using System.Text;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.FileSystem;

/// <summary>
/// The synchronous <c>/ops</c> file operations of one cluster, run over SSH as the calling user. Mirrors
/// <see cref="Operations.IFilesystemOperations"/> with the user as first argument; the engine facade forwards to it.
/// Every path is checked by <see cref="PathGuard"/> as text and again where it resolves on the cluster, in the same
/// command (<see cref="ResolvedPathGuard"/>); every value is shell-quoted; failures map to typed errors
/// (<see cref="RemoteErrorMapper"/>).
/// </summary>
/// <remarks>
/// Documented differences from upstream: every value is single-quoted with <c>'</c> escaped; the path guard always runs
/// and also covers target and link paths; sha256sum output with spaces in the name is accepted; chown with an owner only
/// passes <c>OWNER</c> (not <c>OWNER:</c>); tar runs with <c>--no-unquote</c>; compress with a match pattern searches only
/// the source (not its parent), honours the compression and uses no nested <c>bash -c</c>; "invalid group" is
/// InvalidArgument; head/tail counts must be positive.
/// </remarks>
public sealed class RemoteFileSystem
{
    private readonly IRemoteShell _shell;
    private readonly ClusterSettings _cluster;
    private readonly PathGuard _guard;
    private readonly ResolvedPathGuard _resolved;
    private readonly FileCommandLines _commands;

    /// <summary>Creates the file operations of <paramref name="cluster"/> over <paramref name="shell"/>.</summary>
    public RemoteFileSystem(IRemoteShell shell, ClusterSettings cluster)
    {
        _shell = shell ?? throw new ArgumentNullException(nameof(shell));
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _guard = new PathGuard(cluster.FileSystems);
        _resolved = new ResolvedPathGuard(_guard);
        _commands = new FileCommandLines(cluster.Ssh.Timeout.CommandExecution);
    }

    /// <summary>Largest file for view, download and upload (<c>data_operation.max_ops_file_size</c>).</summary>
    public long MaxOpsFileSize => _cluster.DataOperation.MaxOpsFileSize;

    /// <summary>Lists a directory (or describes a file).</summary>
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(UserIdentity user, RemotePath path, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path);
        options ??= new ListOptions();
        // ls -l shows a link itself unless it dereferences or recurses.
        var use = new PathUse("path", p, options.Dereference || options.Recursive ? PathResolution.Follow : PathResolution.Entry);
        var command = Program(user, _commands.Ls(p.Value, options), use) with { StdoutReader = static stdout => LsOutputParser.Parse(stdout) };
        var result = await RunResultAsync(user, command, cancellationToken).ConfigureAwait(false);
        return result.StdoutRead as List<RemoteFile> ?? LsOutputParser.Parse(result.Stdout);
    }

    /// <summary>First bytes or lines of a file (<paramref name="skipTrailing"/>: all but the last N).</summary>
    public async Task<FileContent> HeadAsync(UserIdentity user, RemotePath path, long? bytes = null, long? lines = null, bool skipTrailing = false, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        OpsArguments.CheckBytesOrLines(bytes, lines);
        var stdout = await RunAsync(user, Program(user, _commands.Head(p, bytes, lines, skipTrailing), Read(path)), cancellationToken).ConfigureAwait(false);
        var n = lines ?? bytes ?? 10;
        return new FileContent
        {
            Content = stdout,
            ContentType = bytes is not null ? "bytes" : "lines",
            StartPosition = 0,
            EndPosition = skipTrailing && (lines ?? bytes) is not null ? -n : n,
        };
    }

    /// <summary>Last bytes or lines of a file (<paramref name="skipHeading"/>: from the Nth on).</summary>
    public async Task<FileContent> TailAsync(UserIdentity user, RemotePath path, long? bytes = null, long? lines = null, bool skipHeading = false, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        OpsArguments.CheckBytesOrLines(bytes, lines);
        var stdout = await RunAsync(user, Program(user, _commands.Tail(p, bytes, lines, skipHeading), Read(path)), cancellationToken).ConfigureAwait(false);
        var given = lines ?? bytes;
        return new FileContent
        {
            Content = stdout,
            ContentType = bytes is not null ? "bytes" : "lines",
            // Upstream: default 10 (sic, positive), else -N, or +N when skipping the heading.
            StartPosition = given is { } n ? (skipHeading ? n : -n) : 10,
            EndPosition = -1,
        };
    }

    /// <summary>A window of a file as text: <paramref name="size"/> bytes (default max_ops_file_size) from <paramref name="offset"/>.</summary>
    public async Task<string> ViewAsync(UserIdentity user, RemotePath path, long? size = null, long? offset = null, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var (s, o) = OpsArguments.CheckViewWindow(size, offset, MaxOpsFileSize);
        var command = Program(user, _commands.View(p, s, o), Read(path)) with { OutputLimit = checked(2 * s + 1024) };
        var stdout = await RunAsync(user, command, cancellationToken).ConfigureAwait(false);
        // dd returned two blocks starting at the block that holds the offset; cut the requested window out of them.
        var bytes = Encoding.UTF8.GetBytes(stdout);
        var start = (int)Math.Min(o % s, bytes.Length);
        var length = (int)Math.Min(s, bytes.Length - start);
        return Encoding.UTF8.GetString(bytes, start, length);
    }

    /// <summary>SHA-256 of a file.</summary>
    public async Task<FileChecksum> ChecksumAsync(UserIdentity user, RemotePath path, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        return ChecksumOutputParser.Parse(await RunAsync(user, Program(user, _commands.Checksum(p), Read(path)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Output of <c>file -b</c>, trimmed.</summary>
    public async Task<string> FileTypeAsync(UserIdentity user, RemotePath path, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var output = (await RunAsync(user, Program(user, _commands.FileType(p), Read(path)), cancellationToken).ConfigureAwait(false)).Trim();
        // `file -b` exits 0 when it cannot open the file and says so on stdout: map that like any other remote error.
        if (output.StartsWith("cannot open", StringComparison.Ordinal))
            throw RemoteErrorMapper.ToException(new RemoteCommandResult(1, "", output));
        return output;
    }

    /// <summary>stat of a path.</summary>
    public async Task<FileStat> StatAsync(UserIdentity user, RemotePath path, bool dereference = false, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var use = new PathUse("path", path, dereference ? PathResolution.Follow : PathResolution.Entry);
        return StatOutputParser.Parse(await RunAsync(user, Program(user, _commands.Stat(p, dereference), use), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates a directory and returns its entry.</summary>
    public async Task<RemoteFile> MakeDirectoryAsync(UserIdentity user, RemotePath path, bool parent = false, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        return LsOutputParser.ParseSingle(await RunAsync(user, Guarded(user, _commands.Mkdir(p, parent), Read(path)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates a symbolic link at <paramref name="linkPath"/> pointing to <paramref name="path"/> and returns the link's entry.</summary>
    public async Task<RemoteFile> SymlinkAsync(UserIdentity user, RemotePath path, RemotePath linkPath, CancellationToken cancellationToken = default)
    {
        var target = _guard.Check("path", path).Value;
        var link = _guard.Check("linkPath", linkPath).Value;
        var uses = new[] { Read(path), new PathUse("linkPath", linkPath, PathResolution.Entry) };
        return LsOutputParser.ParseSingle(await RunAsync(user, Guarded(user, _commands.Symlink(target, link), uses), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Changes permissions (octal like <c>755</c> or symbolic like <c>u+x</c>) and returns the entry.</summary>
    public async Task<RemoteFile> ChmodAsync(UserIdentity user, RemotePath path, string mode, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var m = OpsArguments.CheckMode(mode);
        return LsOutputParser.ParseSingle(await RunAsync(user, Guarded(user, _commands.Chmod(p, m), Read(path)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Changes owner and/or group and returns the entry.</summary>
    public async Task<RemoteFile> ChownAsync(UserIdentity user, RemotePath path, string? owner, string? group, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var (o, g) = OpsArguments.CheckOwnerGroup(owner, group);
        return LsOutputParser.ParseSingle(await RunAsync(user, Guarded(user, _commands.Chown(p, o, g), Read(path)), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Removes a file or directory tree; a root (<see cref="ProtectedPaths"/>) is refused.</summary>
    public async Task RemoveAsync(UserIdentity user, RemotePath path, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path);
        ProtectedPaths.EnsureNotRoot(_guard, user, p, "remove");
        var use = new PathUse("path", p, PathResolution.Entry, Destructive: true);
        await RunAsync(user, Program(user, _commands.Remove(p.Value), use), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a small file; larger than max_ops_file_size → <see cref="HpcErrorKind.TooLarge"/>.</summary>
    public async Task<byte[]> DownloadAsync(UserIdentity user, RemotePath path, CancellationToken cancellationToken = default)
    {
        var p = _guard.Check("path", path).Value;
        var sizeText = await RunAsync(user, Program(user, _commands.Size(p), Read(path)), cancellationToken).ConfigureAwait(false);
        if (!long.TryParse(sizeText.Trim(), out var size))
            throw new HpcException(HpcErrorKind.Internal, $"Unexpected output of stat: '{sizeText.Trim()}'.");
        if (size > MaxOpsFileSize)
            throw new HpcException(HpcErrorKind.TooLarge, "File to download is too large.");
        var limit = checked((MaxOpsFileSize + 2) / 3 * 4 + 1024);
        var encoded = await RunAsync(user, Program(user, _commands.Download(p), Read(path)) with { OutputLimit = limit }, cancellationToken).ConfigureAwait(false);
        try
        {
            return Convert.FromBase64String(encoded.Trim());
        }
        catch (FormatException e)
        {
            throw new HpcException(HpcErrorKind.Internal, "Unexpected output of base64: not valid base64.", e);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <c>{directory}/{fileName}</c>; larger than max_ops_file_size → TooLarge.</summary>
    public async Task UploadAsync(UserIdentity user, RemotePath directory, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var dir = _guard.Check("path", directory);
        var target = _guard.Check("path", dir.Combine(OpsArguments.CheckFileName(fileName), "file"));
        var bytes = await ReadAtMostAsync(content, MaxOpsFileSize, cancellationToken).ConfigureAwait(false)
            ?? throw new HpcException(HpcErrorKind.TooLarge, "File to upload is too large.");
        var command = Guarded(user, _commands.Upload(target.Value), Read(dir), Read(target)) with { Stdin = Convert.ToBase64String(bytes) };
        await RunAsync(user, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a tar archive of <see cref="CompressRequest.SourcePath"/> at <see cref="CompressRequest.TargetPath"/>.</summary>
    public async Task CompressAsync(UserIdentity user, CompressRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _guard.Check("sourcePath", request.SourcePath);
        var target = _guard.Check("targetPath", request.TargetPath);
        if (request.MatchPattern is { } pattern && pattern.Contains('\0'))
            throw new HpcValidationException("matchPattern", "Must not contain a NUL character");
        var line = _commands.Compress(source, target.Value, request.MatchPattern, request.Dereference, request.Compression);
        var sourceUse = new PathUse("sourcePath", source, request.Dereference ? PathResolution.Follow : PathResolution.Entry);
        await RunAsync(user, Guarded(user, line, sourceUse, Read(target, "targetPath")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extracts the archive <see cref="ExtractRequest.SourcePath"/> into the directory <see cref="ExtractRequest.TargetPath"/>.</summary>
    public async Task ExtractAsync(UserIdentity user, ExtractRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _guard.Check("sourcePath", request.SourcePath);
        var target = _guard.Check("targetPath", request.TargetPath);
        var line = _commands.Extract(source.Value, target.Value, request.Compression);
        await RunAsync(user, Guarded(user, line, Read(source, "sourcePath"), Read(target, "targetPath")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's uid, gid and groups from <c>id</c>; <see cref="UserInfo.Accounts"/> stays null (the scheduler adds them).</summary>
    public async Task<UserInfo> GetUserInfoAsync(UserIdentity user, CancellationToken cancellationToken = default) =>
        IdOutputParser.Parse(await RunAsync(user, _commands.Id(), cancellationToken).ConfigureAwait(false));

    private RemoteCommand Guarded(UserIdentity user, string commandLine, params PathUse[] uses) =>
        new(commandLine) { Guard = _resolved.CommandGuard(user, uses) };

    // Only for lines that are one program with its words (ls, head, stat, …): the shell execs it after the guard.
    private RemoteCommand Program(UserIdentity user, string commandLine, params PathUse[] uses) =>
        Guarded(user, commandLine, uses) with { SingleProgram = true };

    private static PathUse Read(RemotePath path, string field = "path") => new(field, path);

    private Task<string> RunAsync(UserIdentity user, string commandLine, CancellationToken cancellationToken) =>
        RunAsync(user, new RemoteCommand(commandLine), cancellationToken);

    private async Task<string> RunAsync(UserIdentity user, RemoteCommand command, CancellationToken cancellationToken) =>
        (await RunResultAsync(user, command, cancellationToken).ConfigureAwait(false)).Stdout;

    private async Task<RemoteCommandResult> RunResultAsync(UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await _shell.RunAsync(_cluster.Name, user, command, cancellationToken).ConfigureAwait(false);
        RemoteErrorMapper.ThrowIfFailed(result);
        return result;
    }

    // Reads the whole stream, or returns null as soon as it holds more than maxBytes.
    private static async Task<byte[]?> ReadAtMostAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
