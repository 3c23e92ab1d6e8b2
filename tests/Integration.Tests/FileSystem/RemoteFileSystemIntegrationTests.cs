using System.Security.Cryptography;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.Models;
using static Firecrest.Core.Ssh.ShellQuote;

namespace Firecrest.Integration.Tests.FileSystem;

/// <summary>Each file operation on real files of the local cluster (GNU coreutils over the real sshd).</summary>
public class RemoteFileSystemIntegrationTests(RemoteFileSystemFixture fx) : IClassFixture<RemoteFileSystemFixture>
{
    private static readonly UserIdentity User = RemoteFileSystemFixture.User;

    private async Task<string> TreeAsync()
    {
        var dir = await fx.NewDirAsync("tree");
        await fx.ShAsync($"cd {Quote(dir)} && mkdir sub && printf abc > file.txt && printf x > .hidden && ln -s file.txt link && printf yy > sub/inner");
        return dir;
    }

    [Fact]
    public async Task Ls_of_a_directory_shows_file_link_and_subdir_but_not_hidden()
    {
        var dir = await TreeAsync();
        var files = await fx.Fs.ListAsync(User, RemotePath.Parse(dir));
        Assert.Equal(["file.txt", "link", "sub"], files.Select(f => f.Name).Order());
        var file = files.Single(f => f.Name == "file.txt");
        Assert.Equal(("-", "3", "fireuser", "fireuser", null), (file.Type, file.Size, file.User, file.Group, file.LinkTarget));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", file.LastModified);
        var link = files.Single(f => f.Name == "link");
        Assert.Equal(("l", "file.txt", "rwxrwxrwx"), (link.Type, link.LinkTarget, link.Permissions));
        Assert.Equal("d", files.Single(f => f.Name == "sub").Type);
    }

    [Fact]
    public async Task Ls_options_show_hidden_recurse_dereference_and_numeric_ids()
    {
        var dir = await TreeAsync();
        var hidden = await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(ShowHidden: true));
        Assert.Contains(hidden, f => f.Name == ".hidden");

        var recursive = await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(Recursive: true));
        Assert.Equal(["file.txt", "link", "sub", "sub/inner"], recursive.Select(f => f.Name).Order());
        Assert.Equal("2", recursive.Single(f => f.Name == "sub/inner").Size);

        var deref = await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(Dereference: true));
        var link = deref.Single(f => f.Name == "link");
        Assert.Equal(("-", null, "3"), (link.Type, link.LinkTarget, link.Size));

        var uid = (await fx.ShAsync("id -u")).Trim();
        var numeric = await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(NumericUid: true));
        Assert.All(numeric, f => Assert.Equal(uid, f.User));
    }

    [Fact]
    public async Task Stat_reports_size_mode_and_owner_of_a_real_file()
    {
        var dir = await TreeAsync();
        var st = await fx.Fs.StatAsync(User, RemotePath.Parse(dir + "/file.txt"));
        Assert.Equal(3, st.Size);
        Assert.Equal(0x8000, st.Mode & 0xF000);
        Assert.Equal(long.Parse((await fx.ShAsync("id -u")).Trim()), st.Uid);
        Assert.True(st.Mtime > 1_600_000_000);
        var linkStat = await fx.Fs.StatAsync(User, RemotePath.Parse(dir + "/link"));
        Assert.Equal(0xA000, linkStat.Mode & 0xF000);
        var derefStat = await fx.Fs.StatAsync(User, RemotePath.Parse(dir + "/link"), dereference: true);
        Assert.Equal(st.Ino, derefStat.Ino);
    }

    [Fact]
    public async Task Head_and_tail_by_bytes_and_lines()
    {
        var dir = await fx.NewDirAsync("ht");
        var path = dir + "/lines.txt";
        await fx.ShAsync($"printf 'l1\\nl2\\nl3\\nl4\\n' > {Quote(path)}");
        var fs = fx.Fs;
        Assert.Equal("l1\nl2\n", (await fs.HeadAsync(User, RemotePath.Parse(path), lines: 2)).Content);
        Assert.Equal("l1\nl", (await fs.HeadAsync(User, RemotePath.Parse(path), bytes: 4)).Content);
        Assert.Equal("l1\nl2\nl3\n", (await fs.HeadAsync(User, RemotePath.Parse(path), lines: 1, skipTrailing: true)).Content);
        Assert.Equal("l1\nl2\nl3\nl4\n", (await fs.HeadAsync(User, RemotePath.Parse(path))).Content);
        Assert.Equal("l3\nl4\n", (await fs.TailAsync(User, RemotePath.Parse(path), lines: 2)).Content);
        Assert.Equal("l4\n", (await fs.TailAsync(User, RemotePath.Parse(path), bytes: 3)).Content);
        Assert.Equal("l2\nl3\nl4\n", (await fs.TailAsync(User, RemotePath.Parse(path), lines: 2, skipHeading: true)).Content);
    }

    [Fact]
    public async Task View_returns_the_requested_window()
    {
        var dir = await fx.NewDirAsync("view");
        var path = dir + "/abc.txt";
        await fx.ShAsync($"printf 0123456789ABCDEFGHIJ > {Quote(path)}");
        Assert.Equal("789AB", await fx.Fs.ViewAsync(User, RemotePath.Parse(path), size: 5, offset: 7));
        Assert.Equal("0123", await fx.Fs.ViewAsync(User, RemotePath.Parse(path), size: 4));
        Assert.Equal("0123456789ABCDEFGHIJ", await fx.Fs.ViewAsync(User, RemotePath.Parse(path)));
        Assert.Equal("IJ", await fx.Fs.ViewAsync(User, RemotePath.Parse(path), size: 6, offset: 18));
    }

    [Fact]
    public async Task Upload_then_download_round_trips_binary_bytes_and_checksum_matches()
    {
        var dir = await fx.NewDirAsync("bin");
        var payload = new byte[200_000];
        new Random(42).NextBytes(payload);
        for (var i = 0; i < 256; i++) payload[i] = (byte)i;
        await fx.Fs.UploadAsync(User, RemotePath.Parse(dir), "data.bin", new MemoryStream(payload));
        Assert.Equal(payload, await fx.Fs.DownloadAsync(User, RemotePath.Parse(dir + "/data.bin")));
        var sum = await fx.Fs.ChecksumAsync(User, RemotePath.Parse(dir + "/data.bin"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), sum.Checksum);
        Assert.Equal(payload.Length, (await fx.Fs.StatAsync(User, RemotePath.Parse(dir + "/data.bin"))).Size);
    }

    [Fact]
    public async Task Download_of_a_file_over_the_limit_is_TooLarge()
    {
        var dir = await fx.NewDirAsync("big");
        await fx.ShAsync($"head -c 1048577 /dev/zero > {Quote(dir + "/big")}");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.DownloadAsync(User, RemotePath.Parse(dir + "/big")));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        Assert.Equal("File to download is too large.", e.Message);
    }

    [Fact]
    public async Task File_type_of_a_text_file()
    {
        var dir = await fx.NewDirAsync("type");
        await fx.ShAsync($"printf 'hello\\n' > {Quote(dir + "/t.txt")}");
        Assert.Equal("ASCII text", await fx.Fs.FileTypeAsync(User, RemotePath.Parse(dir + "/t.txt")));
    }

    [Theory]
    [InlineData(CompressionType.Gzip, "gzip compressed data")]
    [InlineData(CompressionType.Bzip2, "bzip2 compressed data")]
    [InlineData(CompressionType.Xz, "XZ compressed data")]
    [InlineData(CompressionType.None, "tar archive")]
    public async Task Compress_then_extract_round_trips_a_tree(CompressionType compression, string fileType)
    {
        var dir = await TreeAsync();
        var archive = dir + ".archive";
        await fx.Fs.CompressAsync(User, new CompressRequest(RemotePath.Parse(dir), RemotePath.Parse(archive), Compression: compression));
        Assert.Contains(fileType, await fx.Fs.FileTypeAsync(User, RemotePath.Parse(archive)));
        var outDir = (await fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse(dir + "-out"))).Name;
        await fx.Fs.ExtractAsync(User, new ExtractRequest(RemotePath.Parse(archive), RemotePath.Parse(outDir), compression));
        var top = Path.GetFileName(dir);
        var files = await fx.Fs.ListAsync(User, RemotePath.Parse($"{outDir}/{top}"), new ListOptions(ShowHidden: true, Recursive: true));
        Assert.Equal([".hidden", "file.txt", "link", "sub", "sub/inner"], files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal("abc", (await fx.Fs.HeadAsync(User, RemotePath.Parse($"{outDir}/{top}/file.txt"))).Content);
    }

    [Fact]
    public async Task Compress_with_match_pattern_takes_only_matching_files_of_the_source()
    {
        var dir = await fx.NewDirAsync("pat");
        await fx.ShAsync($"cd {Quote(dir)} && mkdir -p src/d sibling && printf 1 > src/a.txt && printf 2 > src/b.log && printf 3 > src/d/c.txt && printf 4 > sibling/x.txt");
        await fx.Fs.CompressAsync(User, new CompressRequest(RemotePath.Parse(dir + "/src"), RemotePath.Parse(dir + "/out.tgz"), MatchPattern: @".*\.txt"));
        var listing = await fx.ShAsync($"tar -tzf {Quote(dir + "/out.tgz")} | sort");
        Assert.Equal("./src/a.txt\n./src/d/c.txt\n", listing);
    }

    [Fact]
    public async Task Compress_with_dereference_archives_the_link_target()
    {
        var dir = await TreeAsync();
        await fx.Fs.CompressAsync(User, new CompressRequest(RemotePath.Parse(dir + "/link"), RemotePath.Parse(dir + "/l.tgz"), Dereference: true));
        var verbose = await fx.ShAsync($"tar -tvzf {Quote(dir + "/l.tgz")}");
        Assert.StartsWith("-", verbose);
    }

    [Fact]
    public async Task Chmod_octal_and_symbolic_and_chown_to_own_group()
    {
        var dir = await TreeAsync();
        var path = dir + "/file.txt";
        Assert.Equal("rw-r-----", (await fx.Fs.ChmodAsync(User, RemotePath.Parse(path), "640")).Permissions);
        Assert.Equal("rwxr-----", (await fx.Fs.ChmodAsync(User, RemotePath.Parse(path), "u+x")).Permissions);
        var chowned = await fx.Fs.ChownAsync(User, RemotePath.Parse(path), null, "fireuser");
        Assert.Equal((path, "fireuser"), (chowned.Name, chowned.Group));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.ChownAsync(User, RemotePath.Parse(path), "fireuser2", null));
        Assert.Equal(HpcErrorKind.PermissionDenied, e.Kind);
        var bad = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.ChownAsync(User, RemotePath.Parse(path), "nosuchuserx", null));
        Assert.Equal(HpcErrorKind.InvalidArgument, bad.Kind);
    }

    [Fact]
    public async Task Mkdir_symlink_and_rm()
    {
        var dir = await fx.NewDirAsync("mk");
        var nested = dir + "/a/b/c";
        var missingParent = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse(nested)));
        Assert.Equal(HpcErrorKind.NotFound, missingParent.Kind);
        var made = await fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse(nested), parent: true);
        Assert.Equal((nested, "d"), (made.Name, made.Type));
        var exists = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse(nested)));
        Assert.Equal(HpcErrorKind.AlreadyExists, exists.Kind);

        var link = await fx.Fs.SymlinkAsync(User, RemotePath.Parse(nested), RemotePath.Parse(dir + "/ln"));
        Assert.Equal(("l", nested, dir + "/ln"), (link.Type, link.LinkTarget, link.Name));

        await fx.Fs.RemoveAsync(User, RemotePath.Parse(dir + "/a"));
        await fx.Fs.RemoveAsync(User, RemotePath.Parse(dir + "/ln"));
        Assert.Empty(await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(ShowHidden: true)));
    }

    [Fact]
    public async Task Missing_file_is_NotFound()
    {
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.StatAsync(User, RemotePath.Parse(fx.Root + "/does-not-exist")));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.StartsWith("Remote process failed with exit status:1 and error message:stat: cannot statx", e.Message);
        Assert.Equal(HpcErrorKind.NotFound, (await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.DownloadAsync(User, RemotePath.Parse(fx.Root + "/nope")))).Kind);
        Assert.Equal(HpcErrorKind.NotFound, (await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.HeadAsync(User, RemotePath.Parse(fx.Root + "/nope")))).Kind);
    }

    [Fact]
    public async Task Another_user_reading_fireusers_home_is_PermissionDenied()
    {
        var other = RemoteFileSystemFixture.OtherUser;
        var dir = await TreeAsync();
        Assert.Equal(HpcErrorKind.PermissionDenied, (await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.ListAsync(other, RemotePath.Parse("/home/fireuser")))).Kind);
        Assert.Equal(HpcErrorKind.PermissionDenied, (await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.HeadAsync(other, RemotePath.Parse(dir + "/file.txt")))).Kind);
        Assert.Equal(HpcErrorKind.PermissionDenied,
            (await Assert.ThrowsAnyAsync<HpcException>(() => fx.Fs.UploadAsync(other, RemotePath.Parse("/home/fireuser"), "intruder", new MemoryStream([1])))).Kind);
    }

    [Fact]
    public async Task UserInfo_comes_from_id()
    {
        var info = await fx.Fs.GetUserInfoAsync(User);
        Assert.Equal("fireuser", info.User.Name);
        Assert.Equal((await fx.ShAsync("id -u")).Trim(), info.User.Id);
        Assert.Contains(info.Groups, g => g.Name == "fireuser");
        Assert.Null(info.Accounts);
    }

    [Fact]
    public async Task Non_ascii_text_survives_view_head_and_download()
    {
        var dir = await fx.NewDirAsync("utf8");
        var text = "grüße – 名前\n";
        await fx.Fs.UploadAsync(User, RemotePath.Parse(dir), "u.txt", new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, await fx.Fs.ViewAsync(User, RemotePath.Parse(dir + "/u.txt")));
        Assert.Equal(text, (await fx.Fs.HeadAsync(User, RemotePath.Parse(dir + "/u.txt"))).Content);
        Assert.Equal(text, Encoding.UTF8.GetString(await fx.Fs.DownloadAsync(User, RemotePath.Parse(dir + "/u.txt"))));
    }
}
