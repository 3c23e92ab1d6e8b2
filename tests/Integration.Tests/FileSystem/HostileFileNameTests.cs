using System.Security.Cryptography;
using System.Text;
using Firecrest.Core;
using Firecrest.Core.Models;

namespace Firecrest.Integration.Tests.FileSystem;

/// <summary>
/// THE QUOTING TEST: files whose names hold shell metacharacters, quotes, newlines, spaces, a leading dash and non-ASCII
/// letters are created, listed, stat'ed, read and removed through the real sshd; each call acts on exactly that file,
/// and the canary commands hidden in names never run.
/// </summary>
public class HostileFileNameTests(RemoteFileSystemFixture fx) : IClassFixture<RemoteFileSystemFixture>
{
    private static readonly UserIdentity User = RemoteFileSystemFixture.User;
    // A relative name (file names cannot hold '/'): an injected `touch` would create it in the shell's working directory
    // (the home directory, or the directory compress cd's into); AssertCanaryNeverRanAsync searches those and /tmp.
    private static readonly string Canary = "fs-canary-" + Guid.NewGuid().ToString("N");

    private async Task AssertCanaryNeverRanAsync()
    {
        var found = await fx.ShAsync($"find /home/fireuser /tmp -name {Firecrest.Core.Ssh.ShellQuote.Quote(Canary)} 2>/dev/null; true");
        Assert.True(found.Length == 0, $"canary {Canary} was created ({found.Trim()}): a name was executed as a command");
    }

    public static TheoryData<string> Names => new()
    {
        "it's",
        "say \"hi\"",
        "$HOME and ${PATH}",
        "back`tick`",
        "back\\slash\\n",
        "semi;colon",
        "amp&er&",
        "pi|pe",
        "star*",
        "que?ry[a]",
        "new\nline",
        "  spaces  in name ",
        "tab\there",
        "-leading-dash",
        "--help",
        "ünïcödé-名前-Ω",
        "$(touch " + Canary + ")",
        "'; touch " + Canary + "; '",
        "\"; touch " + Canary + "; \"",
        "`touch " + Canary + "`",
        "x' && touch " + Canary + " && echo '",
        "~",
        "#hash",
        "!bang",
        "%s%n",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_file_with_a_hostile_name_is_created_listed_stated_read_and_removed_exactly(string name)
    {
        var fs = fx.Fs;
        var dir = await fx.NewDirAsync("q");
        var path = dir + "/" + name;
        var content = Encoding.UTF8.GetBytes($"content of [{name}]\nsecond line\n");

        await fs.UploadAsync(User, RemotePath.Parse(dir), name, new MemoryStream(content));

        var listing = await fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(ShowHidden: true));
        var entry = Assert.Single(listing);
        Assert.Equal(name, entry.Name);
        Assert.Equal(content.Length.ToString(), entry.Size);

        var self = Assert.Single(await fs.ListAsync(User, RemotePath.Parse(path)));
        Assert.Equal(path, self.Name);

        Assert.Equal(content.Length, (await fs.StatAsync(User, RemotePath.Parse(path))).Size);
        Assert.Equal(content, await fs.DownloadAsync(User, RemotePath.Parse(path)));
        Assert.Equal(Encoding.UTF8.GetString(content), (await fs.HeadAsync(User, RemotePath.Parse(path))).Content);
        Assert.Equal("second line\n", (await fs.TailAsync(User, RemotePath.Parse(path), lines: 1)).Content);
        Assert.Equal(Encoding.UTF8.GetString(content), await fs.ViewAsync(User, RemotePath.Parse(path)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (await fs.ChecksumAsync(User, RemotePath.Parse(path))).Checksum);
        Assert.Equal("rw-------", (await fs.ChmodAsync(User, RemotePath.Parse(path), "600")).Permissions);

        var link = await fs.SymlinkAsync(User, RemotePath.Parse(path), RemotePath.Parse(path + ".lnk"));
        Assert.Equal((path, path + ".lnk"), (link.LinkTarget, link.Name));
        await fs.RemoveAsync(User, RemotePath.Parse(path + ".lnk"));

        var sub = (await fs.MakeDirectoryAsync(User, RemotePath.Parse(path + ".d"))).Name;
        Assert.Equal(path + ".d", sub);
        await fs.CompressAsync(User, new CompressRequest(RemotePath.Parse(path), RemotePath.Parse(path + ".d/a.tgz")));
        await fs.ExtractAsync(User, new ExtractRequest(RemotePath.Parse(path + ".d/a.tgz"), RemotePath.Parse(path + ".d")));
        Assert.Equal(content, await fs.DownloadAsync(User, RemotePath.Parse(path + ".d/" + name)));
        await fs.RemoveAsync(User, RemotePath.Parse(path + ".d"));

        await fs.RemoveAsync(User, RemotePath.Parse(path));
        Assert.Empty(await fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(ShowHidden: true)));

        await AssertCanaryNeverRanAsync();
    }

    [Fact]
    public async Task A_directory_tree_of_hostile_names_lists_recursively_with_exact_names()
    {
        var dir = await fx.NewDirAsync("qr");
        var names = new[] { "a'b", "new\nline", "-dash", "ü \"q\"" };
        foreach (var n in names)
        {
            await fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse($"{dir}/{n}"));
            await fx.Fs.UploadAsync(User, RemotePath.Parse($"{dir}/{n}"), n, new MemoryStream([1, 2, 3]));
        }
        var files = await fx.Fs.ListAsync(User, RemotePath.Parse(dir), new ListOptions(Recursive: true));
        var expected = names.Concat(names.Select(n => $"{n}/{n}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, files.Select(f => f.Name).Order(StringComparer.Ordinal));
        await AssertCanaryNeverRanAsync();
    }

    [Fact]
    public async Task Compress_with_a_hostile_source_dir_and_pattern_never_runs_the_canary()
    {
        var dir = await fx.NewDirAsync("qc");
        var src = $"{dir}/$(touch {Canary}); '\"`touch {Canary}`";
        await fx.Fs.MakeDirectoryAsync(User, RemotePath.Parse(src));
        await fx.Fs.UploadAsync(User, RemotePath.Parse(src), "keep' me.txt", new MemoryStream([7]));
        await fx.Fs.UploadAsync(User, RemotePath.Parse(src), "skip.log", new MemoryStream([8]));
        await fx.Fs.CompressAsync(User, new CompressRequest(RemotePath.Parse(src), RemotePath.Parse(dir + "/o.tgz"), MatchPattern: $".*' me\\.txt"));
        var listing = await fx.ShAsync($"tar -tzf {Firecrest.Core.Ssh.ShellQuote.Quote(dir + "/o.tgz")}");
        Assert.Equal($"./{Path.GetFileName(src)}/keep' me.txt\n", listing);
        await AssertCanaryNeverRanAsync();
    }
}
