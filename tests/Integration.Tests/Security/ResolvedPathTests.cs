using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// Paths checked where they resolve, on the real server and cluster: a symbolic link made with <c>ops/symlink</c>, one
/// already on disk and one extracted from a tar with <c>ops/extract</c>, each pointing outside the configured file
/// systems or at a root, are refused with 403 naming the field, for file operations and transfers alike; the same
/// operations on ordinary paths, and on the links themselves where the operation does not follow them, still work.
/// </summary>
[Trait("Category", "Security")]
public sealed class ResolvedPathTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>, IAsyncLifetime
{
    private readonly string _dir = $"/home/fireuser/f7t-resolve-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        using var r = await f.User1.PostAsJsonAsync("/filesystem/cluster/ops/mkdir", new { path = _dir });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        using var w = await UploadAsync("plain.txt", "hello"u8.ToArray());
    }

    public async Task DisposeAsync()
    {
        using var _ = await f.User1.DeleteAsync($"/filesystem/cluster/ops/rm?path={Uri.EscapeDataString(_dir)}");
    }

    private static string Q(string path) => Uri.EscapeDataString(path);

    private async Task<HttpResponseMessage> UploadAsync(string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        var r = await f.User1.PostAsync($"/filesystem/cluster/ops/upload?path={Q(_dir)}", form);
        Assert.True(r.StatusCode == HttpStatusCode.NoContent, $"upload {name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return r;
    }

    /// <summary>Asserts 403 in the error envelope with <c>data.fields[0].name</c> = <paramref name="field"/>; returns the message.</summary>
    private async Task<string> AssertRefusedAsync(Task<HttpResponseMessage> call, string field, string what)
    {
        using var r = await call;
        var text = await r.Content.ReadAsStringAsync();
        output.WriteLine($"{what}: {(int)r.StatusCode} {text}");
        Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)r.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", body.GetProperty("errorType").GetString());
        var message = body.GetProperty("message").GetString()!;
        Assert.StartsWith(field + ": ", message, StringComparison.Ordinal);
        Assert.Equal(field, body.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
        return message;
    }

    private async Task AssertOkAsync(Task<HttpResponseMessage> call, string what)
    {
        using var r = await call;
        var text = await r.Content.ReadAsStringAsync();
        output.WriteLine($"{what}: {(int)r.StatusCode}");
        Assert.True(r.IsSuccessStatusCode, $"{what}: {(int)r.StatusCode} {text}");
    }

    private Task<HttpResponseMessage> Get(string op, string path, string extra = "") =>
        f.User1.GetAsync($"/filesystem/cluster/ops/{op}?path={Q(path)}{extra}");

    [Fact]
    public async Task A_pre_existing_link_out_of_the_file_systems_is_refused_for_every_read_and_write()
    {
        using var ssh = new DirectSshShell();
        var made = await ssh.RunAsync("cluster", new UserIdentity("fireuser"),
            new Firecrest.Core.Ssh.RemoteCommand($"ln -s /etc/passwd {Firecrest.Core.Ssh.ShellQuote.Quote(_dir + "/pre")} && ln -s /etc {Firecrest.Core.Ssh.ShellQuote.Quote(_dir + "/etcdir")}"), default);
        Assert.Equal(0, made.ExitStatus);
        var link = _dir + "/pre";

        foreach (var op in new[] { "head", "tail", "view", "checksum", "download", "file" })
        {
            var message = await AssertRefusedAsync(Get(op, link), "path", op);
            Assert.Contains("'/etc/passwd'", message);
        }
        await AssertRefusedAsync(Get("stat", link, "&dereference=true"), "path", "stat -L");
        await AssertRefusedAsync(Get("ls", link, "&dereference=true"), "path", "ls -L");
        await AssertRefusedAsync(Get("ls", _dir + "/etcdir/"), "path", "ls through a link to a folder");
        await AssertRefusedAsync(Get("head", _dir + "/etcdir/hostname"), "path", "head of a file under a linked folder");
        await AssertRefusedAsync(f.User1.PutAsJsonAsync("/filesystem/cluster/ops/chmod", new { path = link, mode = "777" }), "path", "chmod");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/mkdir", new { path = _dir + "/etcdir/newdir", parent = true }), "path", "mkdir under a linked folder");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "f.txt" } })
            await AssertRefusedAsync(f.User1.PostAsync($"/filesystem/cluster/ops/upload?path={Q(_dir + "/etcdir")}", form), "path", "upload into a linked folder");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/compress",
            new { sourcePath = _dir + "/etcdir/", targetPath = _dir + "/etc.tar.gz" }), "sourcePath", "compress a linked folder");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/transfer/download", new { path = link, transferDirectives = new { transferMethod = "s3" } }), "path", "transfer download");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/transfer/cp",
            new { sourcePath = link, targetPath = _dir + "/copy", dereference = true }), "sourcePath", "transfer cp -L");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/transfer/mv",
            new { sourcePath = _dir + "/plain.txt", targetPath = _dir + "/etcdir/moved" }), "targetPath", "transfer mv into a linked folder");

        // The link itself is still the user's to see and remove; ordinary files are untouched.
        await AssertOkAsync(Get("ls", link), "ls of the link itself");
        await AssertOkAsync(Get("stat", link), "stat of the link itself");
        await AssertOkAsync(Get("view", _dir + "/plain.txt"), "view of a plain file");
        await AssertOkAsync(f.User1.DeleteAsync($"/filesystem/cluster/ops/rm?path={Q(link)}"), "rm of the link");
        made = await ssh.RunAsync("cluster", new UserIdentity("fireuser"),
            new Firecrest.Core.Ssh.RemoteCommand($"test ! -L {Firecrest.Core.Ssh.ShellQuote.Quote(link)} && test -f /etc/passwd"), default);
        Assert.Equal(0, made.ExitStatus);
    }

    [Fact]
    public async Task A_link_extracted_from_a_tar_is_refused_when_read_through()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "evil") { LinkName = "/etc/passwd" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "environ") { LinkName = "/proc/self/environ" });
        }
        using (await UploadAsync("links.tar", tar.ToArray())) { }
        await AssertOkAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/mkdir", new { path = _dir + "/x" }), "mkdir");
        await AssertOkAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/extract",
            new { sourcePath = _dir + "/links.tar", targetPath = _dir + "/x", compression = "none" }), "extract");

        var message = await AssertRefusedAsync(Get("view", _dir + "/x/evil"), "path", "view of the extracted link");
        Assert.Contains("outside the configured file systems", message);
        await AssertRefusedAsync(Get("download", _dir + "/x/environ"), "path", "download of /proc/self/environ");
        await AssertRefusedAsync(Get("head", _dir + "/x/evil"), "path", "head of the extracted link");
        // Extracting again on top of a link to a folder outside writes nowhere.
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/extract",
            new { sourcePath = _dir + "/x/evil", targetPath = _dir + "/x" }), "sourcePath", "extract of an archive behind a link");
    }

    [Fact]
    public async Task Links_made_with_ops_symlink_are_resolved_for_targets_and_protected_roots()
    {
        // A link to the user's own directory: removing it is fine, removing or moving through it is not.
        await AssertOkAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/symlink",
            new { path = "/home/fireuser", linkPath = _dir + "/home" }), "symlink to home");
        await AssertRefusedAsync(f.User1.DeleteAsync($"/filesystem/cluster/ops/rm?path={Q(_dir + "/home/")}"), "path", "rm through the link to home");
        await AssertRefusedAsync(f.User1.DeleteAsync($"/filesystem/cluster/transfer/rm?path={Q(_dir + "/home/")}"), "path", "transfer rm through the link to home");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/transfer/mv",
            new { sourcePath = _dir + "/home/", targetPath = _dir + "/gone" }), "sourcePath", "transfer mv of home through the link");
        await AssertOkAsync(Get("ls", _dir + "/home/"), "ls through the link to home (a read inside the file systems)");

        // A link whose target is itself a link out of the file systems: refused when made, since it resolves outside.
        using var ssh = new DirectSshShell();
        var made = await ssh.RunAsync("cluster", new UserIdentity("fireuser"),
            new Firecrest.Core.Ssh.RemoteCommand($"ln -s /etc/shadow {Firecrest.Core.Ssh.ShellQuote.Quote(_dir + "/hop")}"), default);
        Assert.Equal(0, made.ExitStatus);
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/symlink",
            new { path = _dir + "/hop", linkPath = _dir + "/hop2" }), "path", "symlink to a link out");
        await AssertRefusedAsync(f.User1.PostAsJsonAsync("/filesystem/cluster/ops/symlink",
            new { path = _dir + "/plain.txt", linkPath = _dir + "/hop/x" }), "linkPath", "symlink placed through a link out");

        await AssertOkAsync(f.User1.DeleteAsync($"/filesystem/cluster/ops/rm?path={Q(_dir + "/home")}"), "rm of the link to home");
        made = await ssh.RunAsync("cluster", new UserIdentity("fireuser"), new Firecrest.Core.Ssh.RemoteCommand($"test -d /home/fireuser && test -d {Firecrest.Core.Ssh.ShellQuote.Quote(_dir)}"), default);
        Assert.Equal(0, made.ExitStatus);
    }
}
