using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>Every user value reaches the shell as one single-quoted word, with embedded quotes escaped (a fix of an upstream defect, docs/differences.md).</summary>
public class QuotingTests
{
    private const string Evil = "/home/it's \"$(touch /tmp/x)\"; `id` & | * ? \\";
    private const string Quoted = "'/home/it'\\''s \"$(touch /tmp/x)\"; `id` & | * ? \\'";
    private static readonly UserIdentity User = FsTestSettings.User;

    public static TheoryData<string, Func<RemoteFileSystem, Task>> Operations => new()
    {
        { "ls", fs => fs.ListAsync(User, RemotePath.Parse(Evil)) },
        { "head", fs => fs.HeadAsync(User, RemotePath.Parse(Evil)) },
        { "tail", fs => fs.TailAsync(User, RemotePath.Parse(Evil)) },
        { "dd", fs => fs.ViewAsync(User, RemotePath.Parse(Evil)) },
        { "sha256sum", fs => fs.ChecksumAsync(User, RemotePath.Parse(Evil)) },
        { "file", fs => fs.FileTypeAsync(User, RemotePath.Parse(Evil)) },
        { "stat", fs => fs.StatAsync(User, RemotePath.Parse(Evil)) },
        { "mkdir", fs => fs.MakeDirectoryAsync(User, RemotePath.Parse(Evil)) },
        { "chmod", fs => fs.ChmodAsync(User, RemotePath.Parse(Evil), "755") },
        { "chown", fs => fs.ChownAsync(User, RemotePath.Parse(Evil), "u", "g") },
        { "rm", fs => fs.RemoveAsync(User, RemotePath.Parse(Evil)) },
        { "stat --dereference -c '%s'", fs => fs.DownloadAsync(User, RemotePath.Parse(Evil)) },
        { "tar --no-unquote -x", fs => fs.ExtractAsync(User, new ExtractRequest(RemotePath.Parse(Evil), RemotePath.Parse(Evil))) },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Path_with_quotes_and_shell_syntax_is_passed_as_one_quoted_word(string op, Func<RemoteFileSystem, Task> call)
    {
        var shell = new TranscriptShell().With(op, "", "boom", 1);
        await Assert.ThrowsAnyAsync<HpcException>(() => call(FsTestSettings.Fs(shell)));
        var line = shell.Executed[0].CommandLine;
        Assert.Contains(Quoted, line);
        Assert.DoesNotContain(Evil, line.Replace(Quoted, ""));
    }

    [Fact]
    public async Task Symlink_quotes_target_and_link()
    {
        var shell = new TranscriptShell().With("ln -s", "", "boom", 1);
        await Assert.ThrowsAnyAsync<HpcException>(() => FsTestSettings.Fs(shell).SymlinkAsync(User, RemotePath.Parse(Evil), RemotePath.Parse("/home/l'n")));
        Assert.StartsWith($"timeout 5 ln -s -- {Quoted} '/home/l'\\''n' && ", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Compress_quotes_target_and_source_parts()
    {
        var shell = new TranscriptShell().With("tar", "");
        await FsTestSettings.Fs(shell).CompressAsync(User, new CompressRequest(RemotePath.Parse("/home/a'b/c'd"), RemotePath.Parse("/home/o'.tgz")));
        Assert.Equal("timeout 5 tar --no-unquote -czvf '/home/o'\\''.tgz' -C '/home/a'\\''b' -- 'c'\\''d'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Chmod_symbolic_mode_is_quoted()
    {
        var shell = new TranscriptShell().With("chmod", "-rwxr--r-- 1 u g 0 2024-05-16T12:03:18 \"f\"");
        await FsTestSettings.Fs(shell).ChmodAsync(User, RemotePath.Parse("/home/f"), "u+x,g-w");
        Assert.StartsWith("timeout 5 chmod -v 'u+x,g-w' -- '/home/f' && ", shell.Executed[0].CommandLine);
    }
}
