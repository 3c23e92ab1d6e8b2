using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>Bad arguments are InvalidArgument before any command runs.</summary>
public class ArgumentValidationTests
{
    private static readonly UserIdentity User = FsTestSettings.User;

    private static async Task AssertInvalid(Func<RemoteFileSystem, Task> call, string? messagePart = null, string? field = null)
    {
        var shell = new TranscriptShell();
        var e = await Assert.ThrowsAsync<HpcValidationException>(() => call(FsTestSettings.Fs(shell, maxOpsFileSize: 1000)));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        if (messagePart is not null) Assert.Contains(messagePart, e.Message);
        if (field is not null) Assert.Equal(field, Assert.Single(e.Fields).Name);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public Task Head_with_bytes_and_lines_is_rejected() =>
        AssertInvalid(fs => fs.HeadAsync(User, RemotePath.Parse("/home/f"), bytes: 1, lines: 1), "'bytes' and 'lines' cannot be specified together", "bytes");

    [Fact]
    public Task Tail_with_bytes_and_lines_is_rejected() =>
        AssertInvalid(fs => fs.TailAsync(User, RemotePath.Parse("/home/f"), bytes: 1, lines: 1), "'bytes' and 'lines' cannot be specified together", "bytes");

    [Theory]
    [InlineData(0L, null)]
    [InlineData(-5L, null)]
    [InlineData(null, 0L)]
    [InlineData(null, -1L)]
    public Task Head_and_tail_counts_must_be_positive(long? bytes, long? lines) =>
        AssertInvalid(async fs =>
        {
            await Assert.ThrowsAnyAsync<HpcException>(() => fs.TailAsync(User, RemotePath.Parse("/home/f"), bytes, lines));
            await fs.HeadAsync(User, RemotePath.Parse("/home/f"), bytes, lines);
        }, "greater than 0");

    [Theory]
    [InlineData(0L, 0L, "size", "greater than 0")]
    [InlineData(-1L, 0L, "size", "greater than 0")]
    [InlineData(1001L, 0L, "size", "at most 1000")]
    [InlineData(10L, -1L, "offset", "greater than or equal to 0")]
    public Task View_window_is_checked(long size, long offset, string field, string message) =>
        AssertInvalid(fs => fs.ViewAsync(User, RemotePath.Parse("/home/f"), size, offset), message, field);

    [Theory]
    [InlineData("")]
    [InlineData("75")]
    [InlineData("99999")]
    [InlineData("789")]
    [InlineData("755; rm -rf ~")]
    [InlineData("u+q")]
    [InlineData("--reference=/etc")]
    public Task Chmod_mode_must_be_octal_or_symbolic(string mode) => AssertInvalid(fs => fs.ChmodAsync(User, RemotePath.Parse("/home/f"), mode), "octal mode", "mode");

    [Theory]
    [InlineData("755")]
    [InlineData("0644")]
    [InlineData("u+x")]
    [InlineData("a=rw,o-w")]
    [InlineData("g+s")]
    [InlineData("u=g")]
    public void Chmod_accepts_valid_modes(string mode) => Assert.Equal(mode, OpsArguments.CheckMode(mode));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("a:b", null)]
    [InlineData("x y", null)]
    [InlineData(null, "-g")]
    [InlineData("u'x", null)]
    public Task Chown_owner_and_group_are_checked(string? owner, string? group) => AssertInvalid(fs => fs.ChownAsync(User, RemotePath.Parse("/home/f"), owner, group));

    [Theory]
    [InlineData("gzip", CompressionType.Gzip)]
    [InlineData(null, CompressionType.Gzip)]
    [InlineData("bzip2", CompressionType.Bzip2)]
    [InlineData("XZ", CompressionType.Xz)]
    [InlineData("none", CompressionType.None)]
    public void Compression_names_parse(string? name, CompressionType expected) => Assert.Equal(expected, OpsArguments.ParseCompression(name));

    [Theory]
    [InlineData("zip")]
    [InlineData("lz4")]
    public void Unknown_compression_names_are_InvalidArgument(string name) =>
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.ThrowsAny<HpcException>(() => OpsArguments.ParseCompression(name)).Kind);

    public static TheoryData<string, Func<RemoteFileSystem, Task>> PathArguments => new()
    {
        { "path", fs => fs.ListAsync(User, RemotePath.Parse("relative/dir")) },
        { "path", fs => fs.StatAsync(User, RemotePath.Parse("/home/../etc/shadow")) },
        { "path", fs => fs.RemoveAsync(User, RemotePath.Parse("/etc")) },
        { "path", fs => fs.DownloadAsync(User, RemotePath.Parse("/home/a\0b")) },
        { "path", fs => fs.UploadAsync(User, RemotePath.Parse("/tmp"), "f", new MemoryStream([1])) },
        { "path", fs => fs.SymlinkAsync(User, RemotePath.Parse("../../etc/passwd"), RemotePath.Parse("/home/u/link")) },
        { "linkPath", fs => fs.SymlinkAsync(User, RemotePath.Parse("/home/u/target"), RemotePath.Parse("/etc/cron.d/x")) },
        { "linkPath", fs => fs.SymlinkAsync(User, RemotePath.Parse("/home/u/target"), RemotePath.Parse("/var/spool/x")) },
        { "sourcePath", fs => fs.CompressAsync(User, new CompressRequest(RemotePath.Parse("/etc"), RemotePath.Parse("/home/o.tgz"))) },
        { "targetPath", fs => fs.CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/u"), RemotePath.Parse("/tmp/o.tgz"))) },
        { "targetPath", fs => fs.ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/home/a.tgz"), RemotePath.Parse("/opt/x"))) },
        { "sourcePath", fs => fs.ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/tmp/a.tgz"), RemotePath.Parse("/home/x"))) },
    };

    [Theory]
    [MemberData(nameof(PathArguments))]
    public Task Every_path_argument_is_guarded(string argument, Func<RemoteFileSystem, Task> call) => AssertInvalid(call, field: argument);
}
