using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Ssh;
using Firecrest.Core.Tests.DataTransfer;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>
/// The resolving preamble run by a local bash on a temporary tree: paths that resolve inside a configured file system
/// reach the command, links out of it are refused with exit 77 and a refusal line naming the field and the target,
/// destructive uses of a root are refused, and the refusal reads back as a 403 naming the field.
/// </summary>
public sealed class ResolvedPathGuardTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("f7t-resolve-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("f7t-outside-").FullName;
    private readonly string _root;
    private readonly UserIdentity _user = new("u");

    public ResolvedPathGuardTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_tmp, "fs")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "u"));
        File.WriteAllText(Path.Combine(_outside, "secret"), "s");
        File.CreateSymbolicLink(Path.Combine(_root, "u", "out"), Path.Combine(_outside, "secret"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "u", "outdir"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "u", "home"), Path.Combine(_root, "u"));
    }

    public void Dispose()
    {
        Directory.Delete(_tmp, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private ResolvedPathGuard Guard(string? root = null) =>
        new(new PathGuard([new FileSystemSettings { Path = root ?? _root }]));

    private async Task<(int Rc, string Stdout, string Stderr)> RunAsync(ResolvedPathGuard guard, params PathUse[] uses) =>
        await JobScriptTests.RunShellAsync([], guard.Preamble(_user, uses) + "\necho ran\n");

    // Counts the realpath processes the preamble starts: each call appends a line to the returned file.
    private (string Prefix, string Log) CountingRealpath()
    {
        var log = Path.Combine(_tmp, "realpath-calls");
        return ($"realpath() {{ echo call >> {ShellQuote.Quote(log)}; command realpath \"$@\"; }}\n", log);
    }

    private static int Calls(string log) => File.Exists(log) ? File.ReadAllLines(log).Length : 0;

    private PathUse Use(string relative, PathResolution resolution = PathResolution.Follow, bool destructive = false, string field = "path") =>
        new(field, RemotePath.Parse(_root + "/" + relative), resolution, destructive);

    [Fact]
    public void Preambles_built_one_after_another_on_a_thread_are_each_whole()
    {
        var guard = Guard();
        var first = guard.Preamble(_user, Use("u/a"));
        var many = guard.Preamble(_user, Enumerable.Range(0, 120).Select(i => Use($"u/many-{i}", field: $"f{i}")).ToArray());
        var second = guard.Preamble(_user, Use("u/b", PathResolution.Entry));
        Assert.Throws<ArgumentException>(() => guard.Preamble(_user, Use("u/c") with { Variable = "not a name" }));
        var third = guard.Preamble(_user, Use("u/a"));

        Assert.Equal(first, third);
        Assert.Contains("u/b'", second);
        Assert.DoesNotContain("u/a'", second);
        Assert.DoesNotContain("many-", second);
        Assert.Contains("u/many-119'", many);
        Assert.True(many.Length > 16 * 1024);
        Assert.All(new[] { first, many, second, third }, p => Assert.EndsWith("true", p));
        Assert.All(new[] { first, many, second, third }, p => Assert.Equal(1, CountOf(p, "fc_refuse() {")));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    [Theory]
    [InlineData("u/plain", "bash")]
    [InlineData("u/missing/deeper/file", "bash")]
    [InlineData("u/it's \"quoted\" $(touch pwned) `id`", "bash")]
    [InlineData("u/new\nline", "bash")]
    [InlineData("u/trailing newline\n", "bash")]
    [InlineData("u/home/inside-through-a-link", "bash")]
    [InlineData("u/it's \"quoted\" $(touch pwned) `id`", "sh")]
    [InlineData("u/new\nline", "sh")]
    [InlineData("u/home/inside-through-a-link", "sh")]
    public async Task A_path_that_resolves_inside_reaches_the_command(string relative, string shell)
    {
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], Guard().Preamble(_user, Use(relative)) + "\necho ran\n", shell);
        Assert.True(rc == 0, stderr);
        Assert.Equal("ran\n", stdout);
        Assert.False(File.Exists(Path.Combine(_root, "u", "pwned")));
    }

    [Theory]
    [InlineData("u/out", "secret")]
    [InlineData("u/outdir", "")]
    [InlineData("u/outdir/secret", "secret")]
    [InlineData("u/outdir/not-yet", "not-yet")]
    public async Task A_path_that_resolves_outside_is_refused_before_the_command(string relative, string targetName)
    {
        var (rc, stdout, stderr) = await RunAsync(Guard(), Use("u/plain", field: "targetPath"), Use(relative, field: "sourcePath"));
        Assert.Equal(ResolvedPathGuard.RefusedExitStatus, rc);
        Assert.Equal("", stdout);
        var expected = targetName.Length == 0 ? _outside : Path.Combine(_outside, targetName);
        Assert.Equal($"{ResolvedPathGuard.Marker}\tsourcePath\toutside\t{expected}\n", stderr);
        var refused = Assert.IsType<PathRefusedException>(RemoteErrorMapper.ToException(new RemoteCommandResult(rc, stdout, stderr)));
        Assert.Equal(("sourcePath", HpcErrorKind.PermissionDenied), (refused.Field, refused.Kind));
        Assert.Equal($"sourcePath: Resolves to '{expected}', outside the configured file systems", refused.Message);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    public async Task A_link_to_a_file_is_resolved_by_realpath_and_refused_outside_even_with_a_newline_in_its_target(string shell)
    {
        var target = Path.Combine(_outside, "two\nlines\n");
        File.WriteAllText(target, "s");
        File.CreateSymbolicLink(Path.Combine(_root, "u", "nl"), target);
        var (prefix, log) = CountingRealpath();
        var preamble = Guard().Preamble(_user, Use("u/plain", field: "targetPath"), Use("u/nl", field: "sourcePath"));
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], prefix + preamble + "\necho ran\n", shell);
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        Assert.Equal($"{ResolvedPathGuard.Marker}\tsourcePath\toutside\t{target}\n", stderr);
        Assert.Equal(1, Calls(log));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    public async Task Folders_and_names_that_are_not_links_are_resolved_by_the_shell_without_a_process(string shell)
    {
        var (prefix, log) = CountingRealpath();
        var preamble = Guard().Preamble(_user, Use("u/plain", field: "sourcePath"), Use("u/home/x", PathResolution.Entry, field: "targetPath"),
            Use("u/outdir", field: "path"));
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], prefix + preamble + "\necho ran\n", shell);
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        Assert.Equal($"{ResolvedPathGuard.Marker}\tpath\toutside\t{_outside}\n", stderr);
        Assert.Equal(0, Calls(log));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    public async Task The_working_directory_is_the_same_after_the_preamble(string shell)
    {
        var start = Directory.CreateDirectory(Path.Combine(_root, "u", "work")).FullName;
        var script = $"cd {ShellQuote.Quote(start)}\n" + Guard().Preamble(_user, Use("u/home/plain"), Use("u/missing/z"), Use("u/home/y", PathResolution.Entry)) + "\npwd\n";
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], script, shell);
        Assert.True(rc == 0, stderr);
        Assert.Equal(start + "\n", stdout);
    }

    [Fact]
    public async Task An_entry_use_resolves_the_folder_and_keeps_the_name()
    {
        Assert.Equal(0, (await RunAsync(Guard(), Use("u/out", PathResolution.Entry, destructive: true))).Rc);
        Assert.Equal(0, (await RunAsync(Guard(), Use("u/home", PathResolution.Entry, destructive: true))).Rc);
        Assert.Equal(ResolvedPathGuard.RefusedExitStatus, (await RunAsync(Guard(), Use("u/outdir/secret", PathResolution.Entry))).Rc);
    }

    [Fact]
    public async Task A_destructive_use_that_resolves_to_the_users_own_directory_is_refused()
    {
        const string relative = "u/home/";
        var (rc, _, stderr) = await RunAsync(Guard(), Use(relative, PathResolution.Entry, destructive: true));
        Assert.Equal(ResolvedPathGuard.RefusedExitStatus, rc);
        Assert.Equal($"{ResolvedPathGuard.Marker}\tpath\tprotected\t{Path.Combine(_root, "u")}\n", stderr);
        Assert.Equal(0, (await RunAsync(Guard(), Use(relative))).Rc);
    }

    [Fact]
    public async Task A_file_system_mounted_through_a_link_keeps_its_files()
    {
        var alias = Path.Combine(_tmp, "alias");
        Directory.CreateSymbolicLink(alias, _root);
        var guard = Guard(alias);
        Assert.Equal(0, (await JobScriptTests.RunShellAsync([], guard.Preamble(_user, new PathUse("path", RemotePath.Parse(alias + "/u/plain"))) + "\ntrue")).Item1);
        Assert.Equal(ResolvedPathGuard.RefusedExitStatus,
            (await JobScriptTests.RunShellAsync([], guard.Preamble(_user, new PathUse("path", RemotePath.Parse(alias + "/u/out"))) + "\ntrue")).Item1);
    }

    [Theory]
    [InlineData("u/missing/deeper/file")]
    [InlineData("u/out")]
    public async Task Without_realpath_a_path_the_shell_cannot_resolve_is_refused(string relative)
    {
        var preamble = Guard().Preamble(_user, Use("u/plain", field: "targetPath"), Use(relative, field: "sourcePath"));
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], "realpath() { return 127; }\n" + preamble + "\necho ran\n");
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        var refused = ResolvedPathGuard.ReadRefusal(rc, stderr)!;
        Assert.Equal(("sourcePath", "sourcePath: Cannot be resolved on the system"), (refused.Field, refused.Message));
    }

    [Fact]
    public async Task A_root_that_cannot_be_resolved_refuses_a_path_its_check_needs_it_for()
    {
        var preamble = Guard(Path.Combine(_tmp, "not-mounted")).Preamble(_user, new PathUse("targetPath", RemotePath.Parse(_root + "/u/plain")));
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], "realpath() { return 127; }\n" + preamble + "\necho ran\n");
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        Assert.Equal("targetPath", ResolvedPathGuard.ReadRefusal(rc, stderr)!.Field);
    }

    [Fact]
    public async Task A_path_below_a_root_as_configured_needs_no_root_resolved_and_another_root_that_fails_does_not_block_it()
    {
        var broken = Path.Combine(_tmp, "not-mounted", "fs");
        var guard = new ResolvedPathGuard(new PathGuard([new FileSystemSettings { Path = _root }, new FileSystemSettings { Path = broken }]));
        var (prefix, log) = CountingRealpath();
        const string noRealpath = "realpath() { return 127; }\n";

        // Below the first root: let through without resolving either root, so the unresolvable second one is not reached.
        var (rc, stdout, _) = await JobScriptTests.RunShellAsync([], noRealpath + guard.Preamble(_user, Use("u/plain")) + "\necho ran\n");
        Assert.Equal((0, "ran\n"), (rc, stdout));

        // Outside both: the roots are resolved for the comparison, and the one that cannot be resolved refuses the path.
        var outside = new PathUse("sourcePath", RemotePath.Parse(_outside + "/secret"));
        (rc, stdout, var stderr) = await JobScriptTests.RunShellAsync([], noRealpath + guard.Preamble(_user, outside) + "\necho ran\n");
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        Assert.Equal(("sourcePath", "sourcePath: Cannot be resolved on the system"), (ResolvedPathGuard.ReadRefusal(rc, stderr)!.Field, ResolvedPathGuard.ReadRefusal(rc, stderr)!.Message));

        // A root is resolved once however many paths need it.
        var many = Guard(Path.Combine(_tmp, "alias-many"));
        Directory.CreateSymbolicLink(Path.Combine(_tmp, "alias-many"), _root);
        var uses = Enumerable.Range(0, 3).Select(i => new PathUse($"f{i}", RemotePath.Parse(_tmp + "/alias-many/u/plain"))).ToArray();
        Assert.Equal(0, (await JobScriptTests.RunShellAsync([], prefix + many.Preamble(_user, uses) + "\ntrue")).Item1);
        Assert.Equal(0, Calls(log));
    }

    [Fact]
    public async Task A_destructive_use_of_another_roots_target_below_a_root_is_refused()
    {
        // The second file system is mounted through a link to a folder inside the first: removing that folder, found
        // below the first root as configured, would remove the second file system.
        var target = Directory.CreateDirectory(Path.Combine(_root, "u", "scratch-target")).FullName;
        var link = Path.Combine(_tmp, "scratch");
        Directory.CreateSymbolicLink(link, target);
        var guard = new ResolvedPathGuard(new PathGuard([new FileSystemSettings { Path = _root }, new FileSystemSettings { Path = link }]));

        var (rc, _, stderr) = await RunAsync(guard, Use("u/scratch-target", PathResolution.Entry, destructive: true));
        Assert.Equal(ResolvedPathGuard.RefusedExitStatus, rc);
        Assert.Equal($"{ResolvedPathGuard.Marker}\tpath\tprotected\t{target}\n", stderr);
        Assert.Equal(0, (await RunAsync(guard, Use("u/scratch-target"))).Rc);
        Assert.Equal(0, (await RunAsync(guard, Use("u/scratch-target/file", PathResolution.Entry, destructive: true))).Rc);
    }

    [Fact]
    public async Task Nothing_in_the_environment_stops_the_roots_being_resolved()
    {
        // As if the user's shell start-up files had set the preamble's variables: a path outside is still refused.
        var alias = Path.Combine(_tmp, "alias-env");
        Directory.CreateSymbolicLink(alias, _root);
        var preamble = Guard(alias).Preamble(_user, new PathUse("path", RemotePath.Parse(_outside + "/secret")));
        var (rc, stdout, stderr) = await JobScriptTests.RunShellAsync([], $"export fc_rr=1 fc_v0={ShellQuote.Quote(_outside)}\n" + preamble + "\necho ran\n");
        Assert.Equal((ResolvedPathGuard.RefusedExitStatus, ""), (rc, stdout));
        Assert.Equal($"{ResolvedPathGuard.Marker}\tpath\toutside\t{_outside}/secret\n", stderr);
    }

    // The uses of a command-guard case: one path, followed or as an entry, optionally after a plain target or as a destructive use.
    private PathUse[] CaseUses(string relative, string how) => how switch
    {
        "follow" => [Use(relative)],
        "entry" => [Use(relative, PathResolution.Entry)],
        "destructive" => [Use(relative, PathResolution.Entry, destructive: true)],
        "after-plain" => [Use("u/plain", field: "targetPath"), Use(relative, field: "sourcePath")],
        _ => throw new ArgumentOutOfRangeException(nameof(how)),
    };

    [Theory]
    [InlineData("u/plain", "follow", true)]
    [InlineData("u/it's \"quoted\" $(touch pwned) `id`", "follow", true)]
    [InlineData("u/new\nline", "follow", true)]
    [InlineData("u/home/inside-through-a-link", "follow", true)]
    [InlineData("u/home", "follow", true)]
    [InlineData("u/out", "entry", true)]
    [InlineData("u/home/x", "entry", true)]
    [InlineData("u/outdir/x", "after-plain", false)]
    [InlineData("u/plain", "after-plain", true)]
    [InlineData("u/missing/deeper/file", "follow", false)]
    [InlineData("u/out", "follow", false)]
    [InlineData("u/outdir", "follow", false)]
    [InlineData("u/outdir/secret", "follow", false)]
    [InlineData("u/outdir/not-yet", "entry", false)]
    [InlineData("u/home/", "follow", true)]
    [InlineData("u/home/", "destructive", false)]
    [InlineData("u/plain", "destructive", false)]
    [InlineData("", "follow", false)]
    public async Task A_command_guard_decides_as_the_preamble_does_and_skips_it_only_where_the_shell_resolves_inside(string relative, string how, bool shortCheckOnly)
    {
        var uses = CaseUses(relative, how);
        var start = Directory.CreateDirectory(Path.Combine(_root, "u", "work")).FullName;
        var (prefix, log) = CountingRealpath();
        foreach (var shell in new[] { "bash", "sh" })
        {
            string Script(string guard) => $"{prefix}cd {ShellQuote.Quote(start)}\n{guard}\npwd\n";
            var expected = await JobScriptTests.RunShellAsync([], Script(Guard().Preamble(_user, uses)), shell);
            var callsBefore = Calls(log);
            var actual = await JobScriptTests.RunShellAsync([], Script(Guard().CommandGuard(_user, uses)), shell);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Item1 == 0 ? start + "\n" : "", actual.Item2);
            // The whole preamble defines fc_refuse; the short check alone defines no function and starts no process.
            var probe = await JobScriptTests.RunShellAsync([], prefix + Guard().CommandGuard(_user, uses) + "\ncommand -v fc_refuse >/dev/null || echo short\n", shell);
            Assert.Equal(shortCheckOnly && expected.Item1 == 0 ? "short\n" : "", probe.Item2);
            if (shortCheckOnly) Assert.Equal(callsBefore, Calls(log));
        }
        Assert.False(File.Exists(Path.Combine(_root, "u", "pwned")));
    }

    [Fact]
    public void A_command_guard_with_a_destructive_use_or_a_root_of_slash_is_the_whole_preamble()
    {
        Assert.Equal(Guard().Preamble(_user, Use("u/plain", destructive: true)), Guard().CommandGuard(_user, Use("u/plain", destructive: true)));
        var everywhere = Guard("/");
        Assert.Equal(everywhere.Preamble(_user, Use("u/plain")), everywhere.CommandGuard(_user, Use("u/plain")));
        Assert.StartsWith("fc_ok=1; ", Guard().CommandGuard(_user, Use("u/plain")));
    }

    [Fact]
    public void Other_failures_are_not_read_as_a_refusal()
    {
        Assert.Null(ResolvedPathGuard.ReadRefusal(77, "cat: x: No such file or directory\n"));
        Assert.Null(ResolvedPathGuard.ReadRefusal(1, $"{ResolvedPathGuard.Marker}\tpath\toutside\t/etc\n"));
        Assert.Equal(HpcErrorKind.NotFound, RemoteErrorMapper.ToException(new RemoteCommandResult(1, "", "cat: x: No such file or directory")).Kind);
    }

    [Fact]
    public void Every_path_reaches_the_preamble_as_one_quoted_word_or_as_a_named_variable()
    {
        var nasty = RemotePath.Parse(_root + "/u/a'b $(id)");
        var text = Guard().Preamble(_user, new PathUse("path", nasty), new PathUse("sourcePath", nasty, Variable: "source_path"));
        Assert.Contains("fc_x0=" + ShellQuote.Quote(nasty.Value) + ";", text);
        Assert.Contains("fc_x1=\"$source_path\";", text);
        Assert.Equal(1, text.Split(ShellQuote.Quote(nasty.Value)).Length - 1);
        Assert.Throws<ArgumentException>(() => Guard().Preamble(_user, new PathUse("path", nasty, Variable: "a b")));
    }
}
