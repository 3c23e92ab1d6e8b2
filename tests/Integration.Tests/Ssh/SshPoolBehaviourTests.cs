using System.Diagnostics;
using Firecrest.Core;
using Firecrest.Core.Ssh;
using Microsoft.Extensions.Time.Testing;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

public class SshPoolBehaviourTests
{
    private static string Marker() => $"/tmp/firecrest-ssh-test-{Guid.NewGuid():N}";

    [Fact]
    public async Task Forty_concurrent_commands_with_cap_ten_all_succeed_on_one_connection()
    {
        await using var pool = Pool(s => s.MaxSessionsPerConnection = 10);
        var sw = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            pool.RunAsync(SystemName, User1, new RemoteCommand($"sleep 0.3; echo {i}"), CancellationToken.None)));
        sw.Stop();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"{i}\n"), results.Select(r => r.Stdout));
        Assert.Equal(1, pool.OpenConnectionCount(SystemName));
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;
        Assert.Equal(10, connection.PeakInFlight);
        // 40 commands of 0.3 s, 10 at a time: at least 4 rounds.
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(1.2), $"took only {sw.Elapsed}");
    }

    [Fact]
    public async Task Two_users_get_two_connections_and_each_runs_as_itself()
    {
        await using var pool = Pool();
        var a = await pool.RunAsync(SystemName, User1, new RemoteCommand("id -un"), CancellationToken.None);
        var b = await pool.RunAsync(SystemName, User2, new RemoteCommand("id -un"), CancellationToken.None);
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        Assert.Equal((User1.Username, User2.Username), (a.Stdout.Trim(), b.Stdout.Trim()));
        Assert.Equal(2, pool.OpenConnectionCount(SystemName));
    }

    [Fact]
    public async Task Command_killed_by_a_signal_reports_128_plus_its_number_and_keeps_the_connection()
    {
        // An exec request: the shell that runs the line is the command ($$), and sshd reports the signal.
        await using var pool = Pool(s => s.ReuseShells = false);
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("echo partial; kill -KILL $$"), CancellationToken.None);
        Assert.Equal((137, "partial\n"), (r.ExitStatus, r.Stdout));
        Assert.Contains("terminated by signal KILL", r.Stderr, StringComparison.Ordinal);
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;
        Assert.Equal("after", (await pool.RunAsync(SystemName, User1, new RemoteCommand("echo after"), CancellationToken.None)).Stdout.Trim());
        Assert.Same(connection, pool.ConnectionOf(SystemName, User1.Username));
    }

    [Fact]
    public async Task Max_clients_reached_with_busy_connections_gives_capacity_exceeded()
    {
        await using var pool = Pool(s => s.MaxClients = 1);
        // Busy far longer than the test takes, however slow the machine; cancelled once the refusal is seen.
        using var stop = new CancellationTokenSource();
        var busy = pool.RunAsync(SystemName, User1, new RemoteCommand("sleep 60"), stop.Token);
        while (pool.ConnectionOf(SystemName, User1.Username) is null) await Task.Delay(20);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User2, new RemoteCommand("true"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Equal("SSH connection pool capacity exceeded", e.Message);
        Assert.False(busy.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => busy);
    }

    [Fact]
    public async Task Max_clients_reached_with_an_idle_connection_closes_it_for_the_new_user()
    {
        await using var pool = Pool(s => s.MaxClients = 1);
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        var r = await pool.RunAsync(SystemName, User2, new RemoteCommand("id -un"), CancellationToken.None);
        Assert.Equal(User2.Username, r.Stdout.Trim());
        Assert.Equal(1, pool.OpenConnectionCount(SystemName));
        Assert.Null(pool.ConnectionOf(SystemName, User1.Username));
    }

    [Fact]
    public async Task Idle_connection_is_pruned_after_idle_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var pool = Pool(s => s.Timeout.IdleTimeout = 60, time: clock);
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        var connection = pool.ConnectionOf(SystemName, User1.Username)!;
        clock.Advance(TimeSpan.FromSeconds(59));
        pool.PruneNow();
        Assert.True(connection.IsAlive);
        Assert.Equal(1, pool.OpenConnectionCount(SystemName));

        clock.Advance(TimeSpan.FromSeconds(2) + pool.PruneInterval);
        var deadline = DateTime.UtcNow.AddSeconds(60); // the pruning timer's callback runs on the thread pool
        while (pool.OpenConnectionCount(SystemName) > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, pool.OpenConnectionCount(SystemName));
        Assert.False(connection.IsAlive);
        // A later command simply opens a new connection.
        Assert.Equal(0, (await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None)).ExitStatus);
    }

    [Fact]
    public async Task Dead_connection_is_replaced_on_next_use()
    {
        await using var pool = Pool();
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        var first = pool.ConnectionOf(SystemName, User1.Username)!;
        // Kill the sshd process that serves this connection (the parent of the command's shell).
        var kill = new RemoteCommand("kill -9 $PPID") { Idempotent = false, Timeout = TimeSpan.FromSeconds(5) };
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, kill, CancellationToken.None));
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Contains("not idempotent", e.Message);
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("echo back"), CancellationToken.None);
        Assert.Equal("back\n", r.Stdout);
        Assert.NotSame(first, pool.ConnectionOf(SystemName, User1.Username));
    }

    [Fact]
    public async Task Output_over_the_limit_is_too_large()
    {
        await using var pool = Pool(outputLimit: 100_000);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, new RemoteCommand("head -c 2000000 /dev/zero"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        var err = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, new RemoteCommand("head -c 200000 /dev/zero >&2"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.TooLarge, err.Kind);
        var ok = await pool.RunAsync(SystemName, User1, new RemoteCommand("head -c 100000 /dev/zero | tr '\\0' x"), CancellationToken.None);
        Assert.Equal(100_000, ok.Stdout.Length);
    }

    [Fact]
    public async Task Output_without_end_is_stopped_as_too_large_while_other_commands_run_beside_it()
    {
        await using var pool = Pool(outputLimit: 1_000_000);
        // Timeout 60 s: only the output watch can end these commands as TooLarge, and before the timeout does.
        var endless = Enumerable.Range(0, 3).Select(i => pool.RunAsync(SystemName, User1,
            new RemoteCommand(i == 1 ? "cat /dev/zero >&2" : "cat /dev/zero") { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None)).ToList();
        var beside = await pool.RunAsync(SystemName, User1, new RemoteCommand("seq 1 3"), CancellationToken.None);
        Assert.Equal("1\n2\n3\n", beside.Stdout);
        foreach (var run in endless)
        {
            var e = await Assert.ThrowsAnyAsync<HpcException>(() => run);
            Assert.Equal(HpcErrorKind.TooLarge, e.Kind);
        }
        var after = await pool.RunAsync(SystemName, User1, new RemoteCommand("echo still"), CancellationToken.None);
        Assert.Equal("still\n", after.Stdout);
    }

    [Fact]
    public async Task Sleep_beyond_the_timeout_is_a_timeout_that_does_not_wait_for_the_command_and_is_not_rerun()
    {
        await using var pool = Pool();
        var marker = Marker();
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        var command = new RemoteCommand($"echo run >> {ShellQuote.Quote(marker)}; sleep 60") { Idempotent = false, Timeout = TimeSpan.FromSeconds(5) };
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, command, CancellationToken.None));
        sw.Stop();
        Assert.Equal(HpcErrorKind.Timeout, e.Kind);
        // Not before the timeout; and far from the command's 60 s, however slow the machine (a loaded machine stretches
        // the wait, it never shortens the command).
        Assert.InRange(sw.Elapsed.TotalSeconds, 4.9, 30);
        var count = await pool.RunAsync(SystemName, User1, new RemoteCommand($"wc -l < {ShellQuote.Quote(marker)}; rm -f {ShellQuote.Quote(marker)}"), CancellationToken.None);
        Assert.Equal("1", count.Stdout.Trim());
    }

    [Fact]
    public async Task Caller_cancellation_cancels_the_command()
    {
        await using var pool = Pool();
        await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.RunAsync(SystemName, User1, new RemoteCommand("sleep 60"), cts.Token));
        // The caller got its answer without waiting for the command's 60 s.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Stdin_round_trips_byte_for_byte_and_exit_status_and_stderr_are_returned()
    {
        await using var pool = Pool();
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} 'quoted' \"dq\" $x é日\n"));
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("cat; echo oops >&2; exit 3") { Stdin = text }, CancellationToken.None);
        Assert.Equal(text, r.Stdout);
        Assert.Equal("oops\n", r.Stderr);
        Assert.Equal(3, r.ExitStatus);
    }

    [Fact]
    public async Task Environment_values_reach_the_command_unchanged()
    {
        await using var pool = Pool();
        var value = "a 'b' \"c\" $HOME `x` ; & |";
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("printenv F7T_TEST") { Environment = new Dictionary<string, string> { ["F7T_TEST"] = value } }, CancellationToken.None);
        Assert.Equal(value + "\n", r.Stdout);
    }

    [Fact]
    public async Task Invalid_bytes_are_decoded_with_replacement_characters()
    {
        await using var pool = Pool();
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("printf 'a\\377b'"), CancellationToken.None);
        Assert.Equal("a\uFFFDb", r.Stdout);
    }

    [Fact]
    public async Task Unknown_system_is_not_found()
    {
        await using var pool = Pool();
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync("nope", User1, new RemoteCommand("true"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Unreachable_port_is_connection_failed()
    {
        await using var pool = Pool(s => s.Port = 1);
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
    }
}
