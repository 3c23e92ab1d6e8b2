using System.Text;
using Firecrest.Core.Models;
using Firecrest.Tests.Shared;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>Each operation against the upstream SSH transcripts: the exact command line emitted and the parsed result.</summary>
public class RemoteFileSystemTranscriptTests
{
    private const string Ls = "timeout 5 ls -l --quoting-style=c --time-style='+%Y-%m-%dT%H:%M:%S' ";
    private static readonly UserIdentity User = FsTestSettings.User;

    [Fact]
    public async Task Ls_emits_upstream_command_and_parses_entries()
    {
        var shell = new TranscriptShell().With("ssh_ls_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home"));
        Assert.Equal(Ls + "-- '/home'", Assert.Single(shell.Executed).CommandLine);
        Assert.Equal(["service-account-firecrest-sample", "test1", "test2", "testuser"], files.Select(f => f.Name));
        var t1 = files[1];
        Assert.Equal("d", t1.Type);
        Assert.Equal("rwx------", t1.Permissions);
        Assert.Equal("test1", t1.User);
        Assert.Equal("test1", t1.Group);
        Assert.Equal("4096", t1.Size);
        Assert.Equal("2024-04-09T11:59:43", t1.LastModified);
        Assert.Null(t1.LinkTarget);
    }

    [Fact]
    public async Task Ls_with_all_options_emits_each_flag_in_upstream_order()
    {
        var shell = new TranscriptShell().With("ls -l", "");
        await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home/x"), new ListOptions(ShowHidden: true, NumericUid: true, Recursive: true, Dereference: true));
        Assert.Equal(Ls + "-A --numeric-uid-gid -R -L -- '/home/x'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Ls_show_hidden_parses_dot_files_and_numeric_owners()
    {
        var shell = new TranscriptShell().With("ssh_ls_with_hidden_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home"), new ListOptions(ShowHidden: true));
        Assert.Equal(Ls + "-A -- '/home'", shell.Executed[0].CommandLine);
        Assert.Equal([".check_fs", ".ior", ".mmLockDir", ".mmbackupCfg"], files.Select(f => f.Name));
        Assert.Equal("99", files[0].User);
        Assert.Equal("csstaff", files[1].Group);
        Assert.Equal("32768", files[3].Size);
    }

    [Fact]
    public async Task Ls_recursive_prefixes_names_with_their_sub_folder()
    {
        var shell = new TranscriptShell().With("ssh_ls_recursive_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home/test1"), new ListOptions(Recursive: true));
        Assert.Equal(Ls + "-R -- '/home/test1'", shell.Executed[0].CommandLine);
        Assert.Equal(["new", "new/new-new"], files.Select(f => f.Name));
    }

    [Fact]
    public async Task Ls_recursive_dereference_lists_every_level()
    {
        var shell = new TranscriptShell().With("ssh_ls_follow_command");
        var files = await FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/home/test1"), new ListOptions(Recursive: true, Dereference: true));
        Assert.Equal(["a", "b", "bin", "test", "a/tt", "a/tt/file", "b/tt_link", "b/tt_link/file"], files.Select(f => f.Name));
        Assert.Equal("users", files[2].Group);
        Assert.Equal("-", files[5].Type);
    }

    [Fact]
    public async Task Ls_of_missing_path_is_NotFound_with_upstream_message()
    {
        var shell = new TranscriptShell().With("ssh_ls_command_wrong_path");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).ListAsync(User, RemotePath.Parse("/scratch")));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
        Assert.Equal("Remote process failed with exit status:2 and error message:ls: cannot access '/scratch': No such file or directory", e.Message);
        Assert.Equal(2, e.ExitStatus);
        Assert.Contains("No such file", e.Stderr);
    }

    [Fact]
    public async Task Head_default_is_ten_lines()
    {
        var shell = new TranscriptShell().With("ssh_head_command");
        var c = await FsTestSettings.Fs(shell).HeadAsync(User, RemotePath.Parse("/home"));
        Assert.Equal("timeout 5 head -- '/home'", shell.Executed[0].CommandLine);
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
        var c = await FsTestSettings.Fs(shell).TailAsync(User, RemotePath.Parse("/home"), bytes, lines, skip);
        Assert.Equal($"timeout 5 tail {option}-- '/home'", shell.Executed[0].CommandLine);
        Assert.Equal(type, c.ContentType);
        Assert.Equal(start, c.StartPosition);
        Assert.Equal(-1, c.EndPosition);
    }

    [Fact]
    public async Task View_reads_two_blocks_with_dd_and_slices_the_window()
    {
        var shell = new TranscriptShell().With("dd if=", FsTestSettings.RecordedStdout("ssh_dd_command"));
        var text = await FsTestSettings.Fs(shell).ViewAsync(User, RemotePath.Parse("/home/readme.txt"));
        Assert.Equal("timeout 5 dd if='/home/readme.txt' bs='5242880' skip='0' count=2", shell.Executed[0].CommandLine);
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
        var c = await FsTestSettings.Fs(shell).ChecksumAsync(User, RemotePath.Parse("/home/README.md"));
        Assert.Equal("timeout 5 sha256sum -- '/home/README.md'", shell.Executed[0].CommandLine);
        Assert.Equal("SHA256", c.Algorithm);
        Assert.Equal("6d4c4f9ac2c9228c274dea099d83141d8b8cd1aa8902319d6d8313c767a7f93c", c.Checksum);
    }

    [Theory]
    [InlineData("ssh_file_command", "Unicode text, UTF-8 text, with very long lines (489)")]
    [InlineData("ssh_file_command_with_non_unicode_char", "Unicode text, non unicode text in brackets [\u001b]")]
    public async Task File_returns_the_trimmed_type(string transcript, string expected)
    {
        var shell = new TranscriptShell().With(transcript);
        var type = await FsTestSettings.Fs(shell).FileTypeAsync(User, RemotePath.Parse("/home/README.md"));
        Assert.Equal("timeout 5 file -b -- '/home/README.md'", shell.Executed[0].CommandLine);
        Assert.Equal(expected.Replace("\u001b", ""), type.Replace("\u001b", ""));
    }

    [Fact]
    public async Task Stat_parses_hex_mode_and_numbers()
    {
        var shell = new TranscriptShell().With("ssh_stat_command");
        var s = await FsTestSettings.Fs(shell).StatAsync(User, RemotePath.Parse("/home/test1/data.big"), dereference: true);
        Assert.Equal("timeout 5 stat --dereference -c '%f %i %d %h %u %g %s %X %Y %Z' -- '/home/test1/data.big'", shell.Executed[0].CommandLine);
        Assert.Equal(0x81a4, s.Mode);
        Assert.Equal(64317775, s.Ino);
        Assert.Equal(50, s.Dev);
        Assert.Equal(1, s.Nlink);
        Assert.Equal(26191, s.Uid);
        Assert.Equal(1000, s.Gid);
        Assert.Equal(8, s.Size);
        Assert.Equal(1689669477, s.Atime);
        Assert.Equal(1685517840, s.Mtime);
        Assert.Equal(1685517840, s.Ctime);
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
    [InlineData(false, "ssh_mkdir_command", "timeout 5 mkdir  -- '/home/dir1' && " + Ls + "-d -- '/home/dir1'")]
    [InlineData(true, "ssh_mkdir_command_parent", "timeout 5 mkdir -p  -- '/home/dir1' && " + Ls + "-d -- '/home/dir1'")]
    public async Task Mkdir_creates_and_lists_the_directory(bool parent, string transcript, string expected)
    {
        var shell = new TranscriptShell().With(transcript);
        var f = await FsTestSettings.Fs(shell).MakeDirectoryAsync(User, RemotePath.Parse("/home/dir1"), parent);
        Assert.Equal(expected, shell.Executed[0].CommandLine);
        Assert.Equal("/home/dir1", f.Name);
        Assert.Equal("d", f.Type);
        Assert.Equal("rwxr-xr-x", f.Permissions);
    }

    [Theory]
    [InlineData("ssh_mkdir_command_error", "/home", HpcErrorKind.AlreadyExists)]
    [InlineData("ssh_mkdir_command_not_found_error", "/home/tmp/dir2/subdir", HpcErrorKind.NotFound)]
    [InlineData("ssh_mkdir_command_permission_error", "/home/test", HpcErrorKind.PermissionDenied)]
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
        var f = await FsTestSettings.Fs(shell).ChmodAsync(User, RemotePath.Parse("/home/chmod-test/test.txt"), "777");
        Assert.Equal("timeout 5 chmod -v '777' -- '/home/chmod-test/test.txt' && " + Ls + "-d -- '/home/chmod-test/test.txt'", shell.Executed[0].CommandLine);
        Assert.Equal("test.txt", f.Name);
        Assert.Equal("rwxrwxrwx", f.Permissions);
    }

    [Fact]
    public async Task Chown_with_group_only_quotes_both_parts_as_upstream()
    {
        var shell = new TranscriptShell().With("ssh_chown_command");
        var f = await FsTestSettings.Fs(shell).ChownAsync(User, RemotePath.Parse("/home/chown-test/test.txt"), "", "test1");
        Assert.Equal("timeout 5 chown -v '':'test1' -- '/home/chown-test/test.txt' && " + Ls + "-d -- '/home/chown-test/test.txt'", shell.Executed[0].CommandLine);
        Assert.Equal("test.txt", f.Name);
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
        var shell = new TranscriptShell().With("chown", "", "chown: invalid user: 'nobodyx'", 1);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).ChownAsync(User, RemotePath.Parse("/home/f"), "nobodyx", null));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task Symlink_returns_the_link_with_its_target()
    {
        var shell = new TranscriptShell().With("ssh_symlink_command");
        var f = await FsTestSettings.Fs(shell).SymlinkAsync(User, RemotePath.Parse("/home/symlink-test/test.txt"), RemotePath.Parse("/home/symlink-test/link.txt"));
        Assert.Equal("timeout 5 ln -s -- '/home/symlink-test/test.txt' '/home/symlink-test/link.txt' && " + Ls + "-d -- '/home/symlink-test/link.txt'", shell.Executed[0].CommandLine);
        Assert.Equal("l", f.Type);
        Assert.Equal("test", f.Name);
        Assert.Equal("test.txt", f.LinkTarget);
    }

    [Fact]
    public async Task Rm_emits_recursive_non_interactive_remove()
    {
        var shell = new TranscriptShell().With("ssh_rm_command");
        await FsTestSettings.Fs(shell).RemoveAsync(User, RemotePath.Parse("/home/file-to-delete"));
        Assert.Equal("timeout 5 rm -r --interactive=never -- '/home/file-to-delete'", shell.Executed[0].CommandLine);
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

    [Theory]
    [InlineData(CompressionType.Gzip, "-czvf")]
    [InlineData(CompressionType.Bzip2, "-cjvf")]
    [InlineData(CompressionType.Xz, "-cJvf")]
    [InlineData(CompressionType.None, "-cvf")]
    public async Task Compress_emits_tar_with_the_compression_flag(CompressionType compression, string flags)
    {
        var shell = new TranscriptShell().With("ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/src/data"), RemotePath.Parse("/home/out.tar"), Compression: compression));
        Assert.Equal($"timeout 5 tar --no-unquote {flags} '/home/out.tar' -C '/home/src' -- 'data'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Compress_with_dereference_adds_the_flag()
    {
        var shell = new TranscriptShell().With("ssh_tar_command");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/data"), RemotePath.Parse("/home/out.tgz"), Dereference: true));
        Assert.Equal("timeout 5 tar --dereference --no-unquote -czvf '/home/out.tgz' -C '/home' -- 'data'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Compress_with_pattern_quotes_dir_and_pattern_without_a_nested_shell()
    {
        var shell = new TranscriptShell().With("ssh_tar_command");
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
        var shell = new TranscriptShell().With("ssh_tar_command");
        await FsTestSettings.Fs(shell).ExtractAsync(User, new ExtractRequest(RemotePath.Parse("/home/a.tar"), RemotePath.Parse("/scratch/out"), compression));
        Assert.Equal($"timeout 5 tar --no-unquote {flags} '/home/a.tar' -C '/scratch/out'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Extract_with_undefined_compression_is_InvalidArgument()
    {
        var shell = new TranscriptShell().With("ssh_tar_command");
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
        Assert.Equal("0", info.User.Id);
        Assert.Equal("root", info.User.Name);
        Assert.Equal("root", info.Group.Name);
        Assert.Equal("root", Assert.Single(info.Groups).Name);
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
