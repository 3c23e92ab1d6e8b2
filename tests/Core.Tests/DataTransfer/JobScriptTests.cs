using System.Diagnostics;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.DataTransfer;

/// <summary>
/// Job scripts are rendered from templates with shell-quoted values: nasty names survive `bash -n`, appear once and
/// intact, and the mv/cp/rm/tar scripts really work on such names when run by a local bash.
/// </summary>
public sealed class JobScriptTests : IDisposable
{
    public static readonly TheoryData<string> NastyNames = new()
    {
        "it's a \"file\" & <more> $(touch pwned) `id`.txt",
        "semi;colon|pipe && echo hi > x",
        "new\nline and\ttab",
        "-starts-with-dash",
        "ünïcødé 名前 ; touch pwned",
        "back\\slash '' \"\"",
    };

    private readonly string _root = Directory.CreateTempSubdirectory("f7t-transfer-").FullName;
    private readonly FakeScheduler _scheduler = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TransferService Service(long maxPartSize = 1024) => new(new ClusterSettings
    {
        Name = "local",
        FileSystems = [new FileSystemSettings { Path = _root, DefaultWorkDir = true }],
        DataOperation = new DataOperationSettings
        {
            DatatransferJobsDirectives = ["#SBATCH --nodes=1", "#SBATCH --account={account}"],
            DataTransfer = TransferTestSettings.Cluster().DataOperation.DataTransfer,
        },
    }, _scheduler, new TranscriptShell().With("stat --dereference", "81a4 1 2 3 1000 1000 3000 1 2 3").With("true", ""), new S3ClientFactory(new StubS3()));

    [Theory]
    [MemberData(nameof(NastyNames))]
    public async Task Every_script_with_a_nasty_path_passes_bash_n_and_holds_the_quoted_path_once(string name)
    {
        var path = Path.Combine(_root, name);
        var other = Path.Combine(_root, "other " + name);
        using var svc = Service();
        await svc.StartUploadAsync(new UserIdentity("u"), RemotePath.Parse(path), 2500, "hpcproj");
        await svc.StartDownloadAsync(new UserIdentity("u"), RemotePath.Parse(path), "hpcproj");
        await svc.MoveAsync(new UserIdentity("u"), RemotePath.Parse(path), RemotePath.Parse(other), "hpcproj");
        await svc.CopyAsync(new UserIdentity("u"), RemotePath.Parse(path), RemotePath.Parse(other), false, "hpcproj");
        await svc.RemoveAsync(new UserIdentity("u"), RemotePath.Parse(path), "hpcproj");
        await svc.CompressAsync(new UserIdentity("u"), new CompressRequest(RemotePath.Parse(path), RemotePath.Parse(other), "nasty'pattern&"), "hpcproj");
        await svc.ExtractAsync(new UserIdentity("u"), new ExtractRequest(RemotePath.Parse(path), RemotePath.Parse(other)), "hpcproj");

        Assert.Equal(7, _scheduler.Submitted.Count);
        foreach (var job in _scheduler.Submitted)
        {
            var script = job.Script!;
            var (rc, _, err) = await RunShellAsync(["-n"], script);
            Assert.True(rc == 0, $"{job.Name}: bash -n failed: {err}\n{script}");
            Assert.Equal(1, Occurrences(script, ShellQuote.Quote(path)));
            Assert.DoesNotContain("&#39;", script);
            Assert.DoesNotContain("&amp;", script);
            Assert.DoesNotContain("@@", script);
        }
    }

    [Fact]
    public void Templates_are_embedded_and_have_the_directives_on_top()
    {
        foreach (var t in new[] { "move", "copy", "delete", "compress", "extract", "s3_ingress", "s3_egress" })
            Assert.StartsWith("#!/bin/bash\n@@DIRECTIVES@@\n", JobScriptTemplate.Raw(t));
    }

    [Fact]
    public void Every_template_resolves_its_paths_at_top_level_right_before_the_job_starts_acting()
    {
        foreach (var t in new[] { "move", "copy", "delete", "compress", "extract", "s3_ingress", "s3_egress" })
            Assert.Matches(new System.Text.RegularExpressions.Regex("\n@@PATH_GUARD@@\necho \"\\$\\(date -u\\) [A-Za-z ]+ Job \\(id:"), JobScriptTemplate.Raw(t));
    }

    [Fact]
    public void Rendering_refuses_a_missing_or_unknown_value()
    {
        Assert.Throws<InvalidOperationException>(() => JobScriptTemplate.Render("delete", new Dictionary<string, string> { ["DIRECTIVES"] = "" }));
        Assert.Throws<InvalidOperationException>(() => JobScriptTemplate.Render("delete", new Dictionary<string, string>
        {
            ["DIRECTIVES"] = "", ["TARGET_PATH"] = "'x'", ["NOT_THERE"] = "1",
        }));
    }

    [Fact]
    public void Values_that_look_like_placeholders_are_not_expanded_again()
    {
        var s = JobScriptTemplate.Render("delete", new Dictionary<string, string>
        {
            ["DIRECTIVES"] = "", ["PATH_GUARD"] = "", ["TARGET_PATH"] = ShellQuote.Quote("/x/@@DIRECTIVES@@"),
        });
        Assert.Contains("target_path='/x/@@DIRECTIVES@@'", s);
    }

    [Theory]
    [MemberData(nameof(NastyNames))]
    public async Task Move_copy_compress_extract_delete_scripts_work_on_nasty_names_in_a_local_bash(string name)
    {
        var src = Path.Combine(_root, name);
        await File.WriteAllTextAsync(src, "payload " + name);
        using var svc = Service();
        var u = new UserIdentity("u");

        var copy = Path.Combine(_root, "copy of " + name);
        await RunJobAsync(() => svc.CopyAsync(u, RemotePath.Parse(src), RemotePath.Parse(copy), false, "hpcproj"), "Files were successfully copied.");
        Assert.Equal("payload " + name, await File.ReadAllTextAsync(copy));

        var moved = Path.Combine(_root, "moved " + name);
        await RunJobAsync(() => svc.MoveAsync(u, RemotePath.Parse(copy), RemotePath.Parse(moved), "hpcproj"), "Files were successfully moved.");
        Assert.False(File.Exists(copy));
        Assert.True(File.Exists(moved));

        var archive = Path.Combine(_root, name + ".tar.gz");
        await RunJobAsync(() => svc.CompressAsync(u, new CompressRequest(RemotePath.Parse(src), RemotePath.Parse(archive)), "hpcproj"), "Files were successfully compressed.");
        var into = Directory.CreateDirectory(Path.Combine(_root, "into " + name.Replace('\n', '_'))).FullName;
        await RunJobAsync(() => svc.ExtractAsync(u, new ExtractRequest(RemotePath.Parse(archive), RemotePath.Parse(into)), "hpcproj"), "Files were successfully extracted.");
        Assert.Equal("payload " + name, await File.ReadAllTextAsync(Path.Combine(into, name)));

        await RunJobAsync(() => svc.RemoveAsync(u, RemotePath.Parse(moved), "hpcproj"), "Files were successfully deleted.");
        Assert.False(File.Exists(moved));
        Assert.False(File.Exists(Path.Combine(_root, "pwned")));
        Assert.False(File.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public async Task A_job_whose_source_became_a_link_out_of_the_file_systems_stops_before_it_acts()
    {
        var outside = Directory.CreateTempSubdirectory("f7t-outside-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside, "secret"), "s");
            var link = Path.Combine(_root, "link");
            File.CreateSymbolicLink(link, Path.Combine(outside, "secret"));
            using var svc = Service();
            var copy = Path.Combine(_root, "copy");
            await svc.CopyAsync(new UserIdentity("u"), RemotePath.Parse(link), RemotePath.Parse(copy), dereference: true, "hpcproj");
            var (rc, _, stderr) = await RunShellAsync([], _scheduler.Submitted[^1].Script!);
            Assert.Equal(77, rc);
            Assert.StartsWith("firecrest-path-refused\tsourcePath\toutside\t", stderr);
            Assert.False(File.Exists(copy));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Compress_with_match_pattern_archives_only_matching_files()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "d'ir & co")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "keep 1.txt"), "a");
        await File.WriteAllTextAsync(Path.Combine(dir, "skip.log"), "b");
        using var svc = Service();
        var archive = Path.Combine(_root, "sel.tar.xz");
        await RunJobAsync(() => svc.CompressAsync(new UserIdentity("u"), new CompressRequest(RemotePath.Parse(dir), RemotePath.Parse(archive), @".*\.txt", false, CompressionType.Xz), "p"),
            "Files were successfully compressed.");
        var (rc, listing, _) = await RunShellAsync(["-c", "tar -tJf \"$1\"", "bash", archive], "");
        Assert.Equal(0, rc);
        Assert.Contains("keep 1.txt", listing);
        Assert.DoesNotContain("skip.log", listing);
    }

    [Fact]
    public async Task Delete_of_missing_path_fails_with_message_in_stderr()
    {
        using var svc = Service();
        await svc.RemoveAsync(new UserIdentity("u"), RemotePath.Parse(Path.Combine(_root, "nope")), "p");
        var (rc, _, err) = await RunShellAsync([], _scheduler.Submitted[^1].Script!);
        Assert.NotEqual(0, rc);
        Assert.Contains("No such file or directory", err);
    }

    private async Task RunJobAsync(Func<Task<TransferJob>> submit, string sentinel)
    {
        await submit();
        var (rc, stdout, stderr) = await RunShellAsync([], _scheduler.Submitted[^1].Script!);
        Assert.True(rc == 0, $"exit {rc}: {stderr}");
        Assert.Contains(sentinel, stdout);
    }

    internal static async Task<(int, string, string)> RunShellAsync(string[] args, string stdin, string shell = "bash")
    {
        var psi = new ProcessStartInfo(shell) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await o, await e);
    }

    private static int Occurrences(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
