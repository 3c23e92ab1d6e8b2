using Firecrest.Core;
using Firecrest.Core.Ssh;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

/// <summary>Commands run in the shells the pool keeps open on a connection (ssh.reuse_shells, on by default).</summary>
public class ReusedShellTests
{
    private static Task<RemoteCommandResult> Run(SshConnectionPool pool, string line, bool idempotent = true) =>
        pool.RunAsync(SystemName, User1, new RemoteCommand(line) { Idempotent = idempotent }, CancellationToken.None);

    [Fact]
    public async Task Commands_one_after_another_run_in_the_same_shell_and_inherit_nothing_from_each_other()
    {
        await using var pool = Pool();
        var shell = (await Run(pool, "echo $$")).Stdout;
        var home = (await Run(pool, "pwd")).Stdout;
        var umask = (await Run(pool, "umask")).Stdout;
        var changed = await Run(pool, "cd /tmp && fc_x=1 && export FC_Y=2 && umask 077 && trap 'echo trapped' EXIT && alias ll=ls; echo $$");
        Assert.Equal(shell, changed.Stdout.Replace("trapped\n", ""));
        var after = await Run(pool, "pwd; echo \"${fc_x-unset} ${FC_Y-unset}\"; umask; alias ll 2>/dev/null || echo noalias; echo $$");
        Assert.Equal(home + "unset unset\n" + umask + "noalias\n" + shell, after.Stdout);
        Assert.Equal(1, pool.ConnectionOf(SystemName, User1.Username)!.PeakOpenChannels);
    }

    [Fact]
    public async Task Output_without_a_final_newline_stderr_and_exit_status_are_the_commands_own()
    {
        await using var pool = Pool();
        var r = await Run(pool, "printf 'out'; printf 'err' >&2; exit 3");
        Assert.Equal((3, "out", "err"), (r.ExitStatus, r.Stdout, r.Stderr));
        var quiet = await Run(pool, "true");
        Assert.Equal((0, "", ""), (quiet.ExitStatus, quiet.Stdout, quiet.Stderr));
        var quotes = await Run(pool, "printf '%s\\n' \"it's\" 'a \"b\"' \\$HOME");
        Assert.Equal("it's\na \"b\"\n$HOME\n", quotes.Stdout);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stdout_reader_gets_the_output_bytes_of_a_command_that_succeeds_and_its_failure_is_the_commands(bool reuseShells)
    {
        await using var pool = Pool(s => s.ReuseShells = reuseShells);
        var readBytes = new RemoteCommand("printf 'a\\303\\251\\nb'") { StdoutReader = static bytes => Convert.ToHexString(bytes) };
        var read = await pool.RunAsync(SystemName, User1, readBytes, CancellationToken.None);
        Assert.Equal((0, "", "61C3A90A62"), (read.ExitStatus, read.Stdout, read.StdoutRead));

        // A failed command's output is text, for its error.
        var failed = await pool.RunAsync(SystemName, User1, readBytes with { CommandLine = "echo partial; exit 2" }, CancellationToken.None);
        Assert.Equal((2, "partial\n", null), (failed.ExitStatus, failed.Stdout, failed.StdoutRead));

        var throwing = readBytes with { StdoutReader = static _ => throw new FormatException("unreadable") };
        Assert.Equal("unreadable", (await Assert.ThrowsAsync<FormatException>(() => pool.RunAsync(SystemName, User1, throwing, CancellationToken.None))).Message);
        Assert.Equal("next\n", (await Run(pool, "echo next")).Stdout);
    }

    [Fact]
    public async Task Exit_exec_a_syntax_error_and_a_command_reading_stdin_leave_the_shell_running()
    {
        await using var pool = Pool();
        var shell = (await Run(pool, "echo $$")).Stdout;
        Assert.Equal(5, (await Run(pool, "exit 5")).ExitStatus);
        Assert.Equal("x\n", (await Run(pool, "exec echo x")).Stdout);
        var syntax = await Run(pool, "if then fi (");
        Assert.NotEqual(0, syntax.ExitStatus);
        Assert.Contains("rror", syntax.Stderr, StringComparison.Ordinal);
        // stdin is /dev/null: cat ends at once instead of reading the shell's own input.
        Assert.Equal((0, ""), ((await Run(pool, "cat")).ExitStatus, (await Run(pool, "cat")).Stdout));
        Assert.Equal(shell, (await Run(pool, "echo $$")).Stdout);
    }

    [Fact]
    public async Task A_command_killed_by_a_signal_reports_128_plus_its_number_and_the_shell_stays()
    {
        await using var pool = Pool();
        var shell = (await Run(pool, "echo $$")).Stdout;
        var r = await Run(pool, "sh -c 'echo partial; kill -KILL $$'");
        Assert.Equal((137, "partial\n"), (r.ExitStatus, r.Stdout));
        Assert.Equal(shell, (await Run(pool, "echo $$")).Stdout);
    }

    [Fact]
    public async Task A_command_that_kills_its_shell_is_run_again_once_when_idempotent_and_never_when_not()
    {
        await using var pool = Pool();
        var marker = $"/tmp/firecrest-shell-test-{Guid.NewGuid():N}";
        var q = ShellQuote.Quote(marker);
        await Run(pool, "true");
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;

        // In the subshell $$ is the reused shell itself.
        var twice = await Assert.ThrowsAnyAsync<HpcException>(() => Run(pool, $"echo run >> {q}; kill -KILL $$"));
        Assert.Equal(HpcErrorKind.ConnectionFailed, twice.Kind);
        Assert.Contains("ended twice", twice.Message, StringComparison.Ordinal);
        Assert.Equal("2", (await Run(pool, $"wc -l < {q}; rm -f {q}")).Stdout.Trim());

        var once = await Assert.ThrowsAnyAsync<HpcException>(() => Run(pool, $"echo run >> {q}; kill -KILL $$", idempotent: false));
        Assert.Contains("not idempotent", once.Message, StringComparison.Ordinal);
        Assert.Equal("1", (await Run(pool, $"wc -l < {q}; rm -f {q}")).Stdout.Trim());

        // The connection outlived its shells.
        Assert.Same(connection, pool.ConnectionOf(SystemName, User1.Username));
        Assert.True(connection.OpenChannels <= 1, $"{connection.OpenChannels} channels open");
    }

    [Fact]
    public async Task Closing_the_pool_while_commands_run_in_its_shells_fails_those_commands_and_nothing_else()
    {
        var pool = Pool();
        await Run(pool, "true");
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;
        var running = Enumerable.Range(0, 3).Select(_ => Run(pool, "sleep 30")).ToList();
        while (connection.InFlight < 3) await Task.Delay(20);
        // The shells' reader threads see their channels close with the client already disposed.
        await pool.DisposeAsync();
        foreach (var run in running) await Assert.ThrowsAnyAsync<Exception>(() => run);
        await using var next = Pool();
        Assert.Equal("alive\n", (await Run(next, "echo alive")).Stdout);
    }

    [Fact]
    public async Task Shells_and_exec_requests_together_never_hold_more_channels_than_the_cap()
    {
        await using var pool = Pool(s => s.MaxSessionsPerConnection = 3);
        var runs = Enumerable.Range(0, 30).Select(i => pool.RunAsync(SystemName, User1,
            i % 3 == 0 ? new RemoteCommand($"cat; echo {i}") { Stdin = $"in{i}\n" } : new RemoteCommand($"sleep 0.05; echo {i}"), CancellationToken.None));
        var results = await Task.WhenAll(runs);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? $"in{i}\n{i}\n" : $"{i}\n"), results.Select(r => r.Stdout));
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;
        Assert.InRange(connection.PeakOpenChannels, 2, 3);
        Assert.InRange(connection.OpenChannels, 0, 3);
    }

    [Fact]
    public async Task A_server_that_runs_no_shell_gets_exec_requests_and_the_command_still_runs()
    {
        await using var pool = new SshConnectionPool(Settings(), StaticKeys()) { ShellCommandLine = "exit 0" };
        var first = await Run(pool, "echo $$");
        var second = await Run(pool, "echo $$");
        Assert.Equal(0, first.ExitStatus);
        // Each command had a shell of its own.
        Assert.NotEqual(first.Stdout, second.Stdout);
        Assert.True(pool.ConnectionOf(SystemName, User1.Username)!.ShellsUnavailable);
    }

    [Fact]
    public async Task With_reuse_shells_off_every_command_is_an_exec_request()
    {
        await using var pool = Pool(s => s.ReuseShells = false);
        var first = await Run(pool, "echo $$");
        var second = await Run(pool, "echo $$");
        Assert.NotEqual(first.Stdout, second.Stdout);
    }
}
