using System.Text;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>Each operation against the SSH transcripts recorded on the local cluster (tests/Fixtures/transcripts/ssh): the exact command line emitted and the parsed result.</summary>
public class RemoteFileSystemTranscriptTests
{
    private const string Ls = "timeout 5 ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S' ";
    private static readonly UserIdentity User = FsTestSettings.User;
    private const string B = "/home/fireuser/f7t-transcripts"; // the folder record-transcripts.sh sets up

    [Fact]
    public async Task Ls_emits_upstream_command_and_parses_entries()
    {
        var shell = new TranscriptShell().With("ssh_ls_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B));
        Assert.Equal(Ls + $"-- '{B}'", Assert.Single(shell.Executed).CommandLine);
        Assert.Equal(["README.md", "chmod-test", "chown-test", "data.big", "escapes.txt", "file-to-delete", "hidden", "jobs", "numbers.txt", "readme.txt",
            "readonly", "src", "symlink-test", "tree"], files.Select(f => f.Name));
        var dir = files[1];
        Assert.Equal("d", dir.Type);
        Assert.Equal("rwxr-xr-x", dir.Permissions);
        Assert.Equal("fireuser", dir.User);
        Assert.Equal("fireuser", dir.Group);
        Assert.Equal("4096", dir.Size);
        Assert.Equal("2026-01-02T03:04:05", dir.LastModified);
        Assert.Null(dir.LinkTarget);
        Assert.Equal(("-", "rw-r--r--", "8"), (files[3].Type, files[3].Permissions, files[3].Size));
        Assert.Equal("r-xr-xr-x", files[10].Permissions);
    }

    [Fact]
    public async Task Ls_with_all_options_emits_each_flag_in_upstream_order()
    {
        var shell = new TranscriptShell().With("ls -l", "");
        await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home/x"), new ListOptions(ShowHidden: true, NumericUid: true, Recursive: true, Dereference: true));
        Assert.Equal(Ls + "-A --numeric-uid-gid -R -L -- '/home/x'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Ls_show_hidden_parses_dot_files()
    {
        var shell = new TranscriptShell().With("ssh_ls_with_hidden_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B + "/hidden"), new ListOptions(ShowHidden: true));
        Assert.Equal(Ls + $"-A -- '{B}/hidden'", shell.Executed[0].CommandLine);
        Assert.Equal([".cache", ".profile", "visible.txt"], files.Select(f => f.Name));
        Assert.Equal("fireuser", files[0].User);
        Assert.Equal("0", files[1].Size);
    }

    [Fact]
    public async Task Ls_numeric_parses_numeric_owners()
    {
        var shell = new TranscriptShell().With("ssh_ls_numeric_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B + "/hidden"), new ListOptions(NumericUid: true));
        Assert.Equal(Ls + $"--numeric-uid-gid -- '{B}/hidden'", shell.Executed[0].CommandLine);
        var f = Assert.Single(files);
        Assert.Equal(("visible.txt", "1001", "1001"), (f.Name, f.User, f.Group));
    }

    [Fact]
    public async Task Ls_recursive_prefixes_names_with_their_sub_folder()
    {
        var shell = new TranscriptShell().With("ssh_ls_recursive_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B + "/tree"), new ListOptions(Recursive: true));
        Assert.Equal(Ls + $"-R -- '{B}/tree'", shell.Executed[0].CommandLine);
        Assert.Equal(["a", "b", "a/tt", "a/tt/file", "b/tt_link"], files.Select(f => f.Name));
        Assert.Equal(("l", "../a/tt"), (files[4].Type, files[4].LinkTarget));
    }

    [Fact]
    public async Task Ls_recursive_dereference_lists_every_level()
    {
        var shell = new TranscriptShell().With("ssh_ls_follow_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B + "/tree"), new ListOptions(Recursive: true, Dereference: true));
        Assert.Equal(Ls + $"-R -L -- '{B}/tree'", shell.Executed[0].CommandLine);
        Assert.Equal(["a", "b", "a/tt", "a/tt/file", "b/tt_link", "b/tt_link/file"], files.Select(f => f.Name));
        Assert.Equal("fireuser", files[2].Group);
        Assert.Equal("d", files[4].Type); // the link is followed
        Assert.Equal("-", files[5].Type);
    }

    [Fact]
    public async Task Ls_of_missing_path_is_NotFound_with_upstream_message()
    {
        var shell = new TranscriptShell().With("ssh_ls_command_wrong_path");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse(B + "/missing")));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.Equal($"Remote process failed with exit status:2 and error message:ls: cannot access '{B}/missing': No such file or directory", e.Message);
        Assert.Equal(2, e.ExitStatus);
        Assert.Contains("No such file", e.Stderr);
    }

    [Fact]
    public async Task Head_default_is_ten_lines()
    {
        var shell = new TranscriptShell().With("ssh_head_command");
        var c = await FsTestSettings.Fs(shell).HeadAsync(User, RemotePath.Parse(B + "/numbers.txt"));
        Assert.Equal($"timeout 5 head -- '{B}/numbers.txt'", shell.Executed[0].CommandLine);
        Assert.Equal("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", c.Content);
        Assert.Equal("lines", c.ContentType);
        Assert.Equal(0, c.StartPosition);
        Assert.Equal(10, c.EndPosition);
    }

    [Theory]
    [InlineData(7L, null, false, "--bytes='7' ", "bytes", 7L)]
    [InlineData(7L, null, true, "--bytes='-7' ", "bytes", -7L)]
    [InlineData(null, 3L, false, "--lines='3' ", "lines", 3L)]
    [InlineData(null, 3L, true, "--lines='-3' ", "lines", -3L)]
    public async Task Head_quotes_counts_and_reports_positions(long? bytes, long? lines, bool skip, string option, string type, long end)
    {
        var shell = new TranscriptShell().With("head", "x");
        var c = await FsTestSettings.Fs(shell).HeadAsync(User, RemotePath.Parse("/home/f"), bytes, lines, skip);
        Assert.Equal($"timeout 5 head {option}-- '/home/f'", shell.Executed[0].CommandLine);
        Assert.Equal(type, c.ContentType);
        Assert.Equal(end, c.EndPosition);
    }

    [Theory]
    [InlineData(null, null, false, "", "lines", 10L)]
    [InlineData(7L, null, false, "--bytes='7' ", "bytes", -7L)]
    [InlineData(7L, null, true, "--bytes='+7' ", "bytes", 7L)]
    [InlineData(null, 3L, true, "--lines='+3' ", "lines", 3L)]
    public async Task Tail_quotes_counts_and_reports_positions(long? bytes, long? lines, bool skip, string option, string type, long start)
    {
        var shell = new TranscriptShell().With("ssh_tail_command").With("tail", "x");
        var c = await FsTestSettings.Fs(shell).TailAsync(User, RemotePath.Parse(B + "/numbers.txt"), bytes, lines, skip);
        Assert.Equal($"timeout 5 tail {option}-- '{B}/numbers.txt'", shell.Executed[0].CommandLine);
        Assert.Equal(type, c.ContentType);
        Assert.Equal(start, c.StartPosition);
        Assert.Equal(-1, c.EndPosition);
    }

    [Fact]
    public async Task Tail_default_returns_the_last_ten_lines()
    {
        var shell = new TranscriptShell().With("ssh_tail_command");
        var c = await FsTestSettings.Fs(shell).TailAsync(User, RemotePath.Parse(B + "/numbers.txt"));
        Assert.Equal("11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n", c.Content);
    }

    [Fact]
    public async Task View_reads_two_blocks_with_dd_and_slices_the_window()
    {
        var shell = new TranscriptShell().With("ssh_dd_command");
        var text = await FsTestSettings.Fs(shell).ViewAsync(User, RemotePath.Parse(B + "/readme.txt"));
        Assert.Equal($"timeout 5 dd if='{B}/readme.txt' bs='5242880' skip='0' count=2", shell.Executed[0].CommandLine);
        Assert.Equal("ABCDEFGHIJ", text);
    }

    [Theory]
    [InlineData(0L, "skip='0'", "ABCDEFGHIJ", "ABCDE")]
    [InlineData(3L, "skip='0'", "ABCDEFGHIJ", "DEFGH")]
    [InlineData(7L, "skip='1'", "FGHIJ", "HIJ")]
    public async Task View_with_size_and_offset_cuts_the_requested_bytes(long offset, string skip, string ddOutput, string expected)
    {
        var shell = new TranscriptShell().With("dd if=", ddOutput);
        var text = await FsTestSettings.Fs(shell).ViewAsync(User, RemotePath.Parse("/home/readme.txt"), size: 5, offset: offset);
        Assert.Equal($"timeout 5 dd if='/home/readme.txt' bs='5' {skip} count=2", shell.Executed[0].CommandLine);
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Checksum_returns_the_sha256_digest()
    {
        var shell = new TranscriptShell().With("ssh_checksum_command");
        var c = await FsTestSettings.Fs(shell).ChecksumAsync(User, RemotePath.Parse(B + "/README.md"));
        Assert.Equal($"timeout 5 sha256sum -- '{B}/README.md'", shell.Executed[0].CommandLine);
        Assert.Equal("SHA256", c.Algorithm);
        // The digest of the file's content as record-transcripts.sh writes it.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("Grüße aus dem Testcluster: é à ü ß\n")));
        Assert.Equal(expected, c.Checksum);
    }

    [Theory]
    [InlineData("ssh_file_command", "README.md", "Unicode text, UTF-8 text")]
    [InlineData("ssh_file_command_escapes", "escapes.txt", "ASCII text, with escape sequences")]
    public async Task File_returns_the_trimmed_type(string transcript, string file, string expected)
    {
        var shell = new TranscriptShell().With(transcript);
        var type = await FsTestSettings.Fs(shell).FileTypeAsync(User, RemotePath.Parse($"{B}/{file}"));
        Assert.Equal($"timeout 5 file -b -- '{B}/{file}'", shell.Executed[0].CommandLine);
        Assert.Equal(expected, type);
    }

    [Fact]
    public async Task File_keeps_control_characters_of_the_output()
    {
        var shell = new TranscriptShell().With("file -b", "text with [\u001b] in brackets\n");
        Assert.Equal("text with [\u001b] in brackets", await FsTestSettings.Fs(shell).FileTypeAsync(User, RemotePath.Parse(B + "/x")));
    }

    [Fact]
    public async Task Stat_parses_hex_mode_and_numbers()
    {
        var shell = new TranscriptShell().With("ssh_stat_command");
        var s = await FsTestSettings.Fs(shell).StatAsync(User, RemotePath.Parse(B + "/data.big"), dereference: true);
        Assert.Equal($"timeout 5 stat --dereference -c '%f %i %d %h %u %g %s %X %Y %Z' -- '{B}/data.big'", shell.Executed[0].CommandLine);
        // inode, device and ctime differ per recording: compared with the recorded fields.
        var raw = Fixtures.Transcript("ssh_stat_command").Stdout.Split(' ');
        Assert.Equal(0x81a4, s.Mode); // regular file, rw-r--r--
        Assert.Equal(long.Parse(raw[1]), s.Ino);
        Assert.True(s.Ino > 0);
        Assert.Equal(long.Parse(raw[2]), s.Dev);
        Assert.Equal(1, s.Nlink);
        Assert.Equal(1001, s.Uid); // fireuser
        Assert.Equal(1001, s.Gid);
        Assert.Equal(8, s.Size);
        var stamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(); // touch -d of the recording (UTC host)
        Assert.Equal(stamp, s.Atime);
        Assert.Equal(stamp, s.Mtime);
        Assert.Equal(long.Parse(raw[9]), s.Ctime);
        Assert.True(s.Ctime > stamp);
    }

    [Fact]
    public async Task Stat_without_dereference_omits_the_flag()
    {
        var shell = new TranscriptShell().With("stat -c", "41ed 1 2 3 4 5 6 7 8 9");
        var s = await FsTestSettings.Fs(shell).StatAsync(User, RemotePath.Parse("/home/d"));
        Assert.Equal("timeout 5 stat -c '%f %i %d %h %u %g %s %X %Y %Z' -- '/home/d'", shell.Executed[0].CommandLine);
        Assert.Equal(0x41ed, s.Mode);
    }

    [Theory]
    [InlineData(false, "ssh_mkdir_command", B + "/dir1", "timeout 5 mkdir  -- '" + B + "/dir1' && " + Ls + "-d -- '" + B + "/dir1'")]
    [InlineData(true, "ssh_mkdir_command_parent", B + "/dir2/sub", "timeout 5 mkdir -p  -- '" + B + "/dir2/sub' && " + Ls + "-d -- '" + B + "/dir2/sub'")]
    public async Task Mkdir_creates_and_lists_the_directory(bool parent, string transcript, string path, string expected)
    {
        var shell = new TranscriptShell().With(transcript);
        var f = await FsTestSettings.Fs(shell).MakeDirectoryAsync(User, RemotePath.Parse(path), parent);
        Assert.Equal(expected, shell.Executed[0].CommandLine);
        Assert.Equal(path, f.Name);
        Assert.Equal("d", f.Type);
        Assert.Equal("rwxr-xr-x", f.Permissions);
    }

    [Theory]
    [InlineData("ssh_mkdir_command_error", B + "/tree", HpcErrorKind.AlreadyExists)]
    [InlineData("ssh_mkdir_command_not_found_error", B + "/missing/dir2/subdir", HpcErrorKind.NotFound)]
    [InlineData("ssh_mkdir_command_permission_error", B + "/readonly/sub", HpcErrorKind.PermissionDenied)]
    public async Task Mkdir_errors_map_to_kinds(string transcript, string path, HpcErrorKind kind)
    {
        var shell = new TranscriptShell().With(transcript);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).MakeDirectoryAsync(User, RemotePath.Parse(path)));
        Assert.Equal(kind, e.Kind);
        Assert.StartsWith("Remote process failed with exit status:1 and error message:mkdir: cannot create directory", e.Message);
    }

    [Fact]
    public async Task Chmod_returns_the_listed_entry_not_the_verbose_line()
    {
        var shell = new TranscriptShell().With("ssh_chmod_command");
        var f = await FsTestSettings.Fs(shell).ChmodAsync(User, RemotePath.Parse(B + "/chmod-test/test.txt"), "777");
        Assert.Equal($"timeout 5 chmod -v '777' -- '{B}/chmod-test/test.txt' && " + Ls + $"-d -- '{B}/chmod-test/test.txt'", shell.Executed[0].CommandLine);
        Assert.Equal(B + "/chmod-test/test.txt", f.Name);
        Assert.Equal("rwxrwxrwx", f.Permissions);
    }

    [Fact]
    public async Task Chown_with_group_only_quotes_both_parts_as_upstream()
    {
        var shell = new TranscriptShell().With("ssh_chown_command");
        var f = await FsTestSettings.Fs(shell).ChownAsync(User, RemotePath.Parse(B + "/chown-test/test.txt"), "", "fireuser");
        Assert.Equal($"timeout 5 chown -v '':'fireuser' -- '{B}/chown-test/test.txt' && " + Ls + $"-d -- '{B}/chown-test/test.txt'", shell.Executed[0].CommandLine);
        Assert.Equal(B + "/chown-test/test.txt", f.Name);
        Assert.Equal(("fireuser", "fireuser"), (f.User, f.Group));
    }

    [Fact]
    public async Task Chown_with_owner_only_does_not_touch_the_group()
    {
        var shell = new TranscriptShell().With("chown", "-rw-r--r-- 1 u g 0 2024-05-16T12:03:18 \"f\"");
        await FsTestSettings.Fs(shell).ChownAsync(User, RemotePath.Parse("/home/f"), "u", null);
        Assert.StartsWith("timeout 5 chown -v 'u' -- '/home/f' && ", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Chown_invalid_user_is_InvalidArgument()
    {
        var shell = new TranscriptShell().With("ssh_chown_command_invalid_user");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).ChownAsync(User, RemotePath.Parse(B + "/chown-test/test.txt"), "nobodyx", null));
        Assert.Contains("invalid user: 'nobodyx'", e.Message);
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task Symlink_returns_the_link_with_its_target()
    {
        var shell = new TranscriptShell().With("ssh_symlink_command");
        var f = await FsTestSettings.Fs(shell).SymlinkAsync(User, RemotePath.Parse(B + "/symlink-test/test.txt"), RemotePath.Parse(B + "/symlink-test/link.txt"));
        Assert.Equal($"timeout 5 ln -s -- '{B}/symlink-test/test.txt' '{B}/symlink-test/link.txt' && " + Ls + $"-d -- '{B}/symlink-test/link.txt'", shell.Executed[0].CommandLine);
        Assert.Equal("l", f.Type);
        Assert.Equal(B + "/symlink-test/link.txt", f.Name);
        Assert.Equal(B + "/symlink-test/test.txt", f.LinkTarget);
    }

    [Fact]
    public async Task Rm_emits_recursive_non_interactive_remove()
    {
        var shell = new TranscriptShell().With("ssh_rm_command");
        await FsTestSettings.Fs(shell).RemoveAsync(User, RemotePath.Parse(B + "/file-to-delete"));
        Assert.Equal($"timeout 5 rm -r --interactive=never -- '{B}/file-to-delete'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Download_checks_the_size_then_decodes_base64()
    {
        var payload = new byte[] { 0, 1, 2, 255, 10, 13, 39 };
        var shell = new TranscriptShell()
            .With("stat --dereference -c '%s'", "7\n")
            .With("base64 --wrap=0", Convert.ToBase64String(payload));
        var bytes = await FsTestSettings.Fs(shell).DownloadAsync(User, RemotePath.Parse("/home/f.bin"));
        Assert.Equal(payload, bytes);
        Assert.Equal("timeout 5 stat --dereference -c '%s' -- '/home/f.bin'", shell.Executed[0].CommandLine);
        Assert.Equal("timeout 5 base64 --wrap=0 -- '/home/f.bin'", shell.Executed[1].CommandLine);
    }

    [Fact]
    public async Task Download_of_a_file_larger_than_the_limit_is_TooLarge_and_never_read()
    {
        var shell = new TranscriptShell().With("stat --dereference -c '%s'", "101\n").With("base64", "");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell, maxOpsFileSize: 100).DownloadAsync(User, RemotePath.Parse("/home/big")));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        Assert.Equal("File to download is too large.", e.Message);
        Assert.Single(shell.Executed);
    }

    [Fact]
    public async Task Upload_sends_base64_on_stdin_to_the_quoted_target()
    {
        var payload = Encoding.UTF8.GetBytes("héllo\0\n");
        var shell = new TranscriptShell().With("base64 -d", "");
        await FsTestSettings.Fs(shell).UploadAsync(User, RemotePath.Parse("/home/dir"), "it's.bin", new MemoryStream(payload));
        var cmd = Assert.Single(shell.Executed);
        Assert.Equal("timeout 5 base64 -d > '/home/dir/it'\\''s.bin'", cmd.CommandLine);
        Assert.Equal(payload, Convert.FromBase64String(cmd.Stdin!));
    }

    [Fact]
    public async Task Upload_larger_than_the_limit_is_TooLarge_and_runs_nothing()
    {
        var shell = new TranscriptShell().With("base64 -d", "");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() =>
            FsTestSettings.Fs(shell, maxOpsFileSize: 10).UploadAsync(User, RemotePath.Parse("/home/dir"), "f", new MemoryStream(new byte[11])));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        Assert.Empty(shell.Executed);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Upload_rejects_file_names_that_are_not_plain(string name)
    {
        var shell = new TranscriptShell();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).UploadAsync(User, RemotePath.Parse("/home/dir"), name, new MemoryStream([1])));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task Compress_emits_the_recorded_tar_command()
    {
        var shell = new TranscriptShell().With("ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse(B + "/src/data"), RemotePath.Parse(B + "/out.tar")));
        Assert.Equal(Fixtures.Transcript("ssh_tar_command").Command, shell.Executed[0].CommandLine);
    }

    [Theory]
    [InlineData(CompressionType.Gzip, "-czvf")]
    [InlineData(CompressionType.Bzip2, "-cjvf")]
    [InlineData(CompressionType.Xz, "-cJvf")]
    [InlineData(CompressionType.None, "-cvf")]
    public async Task Compress_emits_tar_with_the_compression_flag(CompressionType compression, string flags)
    {
        var shell = new TranscriptShell().WithRecorded("tar ", "ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/src/data"), RemotePath.Parse("/home/out.tar"), Compression: compression));
        Assert.Equal($"timeout 5 tar --no-unquote {flags} '/home/out.tar' -C '/home/src' -- 'data'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Compress_with_dereference_adds_the_flag()
    {
        var shell = new TranscriptShell().WithRecorded("tar ", "ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/data"), RemotePath.Parse("/home/out.tgz"), Dereference: true));
        Assert.Equal("timeout 5 tar --dereference --no-unquote -czvf '/home/out.tgz' -C '/home' -- 'data'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Compress_with_pattern_quotes_dir_and_pattern_without_a_nested_shell()
    {
        var shell = new TranscriptShell().WithRecorded("tar ", "ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/$(touch x); '/d a"), RemotePath.Parse("/home/o.tgz"), MatchPattern: ".*it's\\.txt"));
        Assert.Equal(
            "cd '/home/$(touch x); '\\''' && timeout 5 find ./'d a' -type f -regex '.*it'\\''s\\.txt' -print0 | timeout 5 tar --no-unquote -czvf '/home/o.tgz' --null --files-from -",
            shell.Executed[0].CommandLine);
        Assert.DoesNotContain("bash -c", shell.Executed[0].CommandLine);
    }

    [Theory]
    [InlineData(CompressionType.Gzip, "-xzf")]
    [InlineData(CompressionType.Bzip2, "-xjf")]
    [InlineData(CompressionType.Xz, "-xJf")]
    [InlineData(CompressionType.None, "-xf")]
    public async Task Extract_emits_tar_with_the_compression_flag(CompressionType compression, string flags)
    {
        var shell = new TranscriptShell().WithRecorded("tar ", "ssh_tar_command");
        await FsTestSettings.Fs(shell).ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/home/a.tar"), RemotePath.Parse("/scratch/out"), compression));
        Assert.Equal($"timeout 5 tar --no-unquote {flags} '/home/a.tar' -C '/scratch/out'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Extract_with_undefined_compression_is_InvalidArgument()
    {
        var shell = new TranscriptShell().WithRecorded("tar ", "ssh_tar_command");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/home/a"), RemotePath.Parse("/home/b"), (CompressionType)42)));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task UserInfo_parses_id_without_accounts()
    {
        var shell = new TranscriptShell().With("ssh_id_command");
        var info = await FsTestSettings.Fs(shell).GetUserInfoAsync(User);
        Assert.Equal("timeout 5 id", shell.Executed[0].CommandLine);
        Assert.Equal("1001", info.User.Id);
        Assert.Equal("fireuser", info.User.Name);
        Assert.Equal(("1001", "fireuser"), (info.Group.Id, info.Group.Name));
        Assert.Equal("fireuser", Assert.Single(info.Groups).Name);
        Assert.Null(info.Accounts);
    }

    [Fact]
    public async Task Commands_run_on_the_cluster_as_the_given_user_with_the_configured_timeout()
    {
        var cluster = FsTestSettings.Cluster();
        cluster.Ssh.Timeout.CommandExecution = 2.5;
        var shell = new RecordingShell();
        await new Firecrest.Core.FileSystem.RemoteFileSystem(shell, cluster).RemoveAsync(new UserIdentity("alice"), RemotePath.Parse("/home/x"));
        Assert.Equal(("cluster-slurm-ssh", "alice"), (shell.System, shell.User));
        Assert.StartsWith("timeout 2.5 rm ", shell.Command);
    }

    private sealed class RecordingShell : Firecrest.Core.Ssh.IRemoteShell
    {
        public string? System, User, Command;

        public Task<Firecrest.Core.Ssh.RemoteCommandResult> RunAsync(string system, UserIdentity user, Firecrest.Core.Ssh.RemoteCommand command, CancellationToken cancellationToken)
        {
            (System, User, Command) = (system, user.Username, command.CommandLine);
            return Task.FromResult(new Firecrest.Core.Ssh.RemoteCommandResult(0, "", ""));
        }
    }
}
