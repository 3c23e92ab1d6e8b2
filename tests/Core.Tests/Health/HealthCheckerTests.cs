using Firecrest.Core.Json;
using Firecrest.Core.Models;
using System.Diagnostics;
using System.Net;
using Firecrest.Core.Configuration;
using Firecrest.Core.Health;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.Health;

public sealed class HealthCheckerTests
{
    private static readonly Func<DataTransferSettings, TimeSpan, CancellationToken, Task<(bool, string)>> S3Up =
        (_, _, _) => Task.FromResult((true, "ListBuckets answered HTTP 200"));

    private static TranscriptShell HealthyShell() => new TranscriptShell()
        .With("ls -d -- '/home'", "/home\n")
        .With("ls -d -- '/scratch'", "/scratch\n")
        .With("true", "");

    private static HealthChecker Checker(FirecrestSettings settings, IRemoteShell shell, FakeScheduler? scheduler = null, HealthCheckerOptions? options = null)
    {
        options ??= new HealthCheckerOptions { ProbeUser = "fireuser" };
        options.S3Probe ??= S3Up;
        return new HealthChecker(settings, shell, _ => scheduler ?? new FakeScheduler(), options);
    }

    [Fact]
    public async Task Healthy_run_reports_every_probed_service_with_time_and_latency()
    {
        var shell = new HangingShell(HealthyShell());
        var scheduler = new FakeScheduler();
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(), "/home", "/scratch")), shell, scheduler);
        var before = DateTimeOffset.UtcNow;

        await checker.RunOnceAsync(CancellationToken.None);

        var results = checker.GetResults("ALPHA")!;
        Assert.Equal(["ssh", "scheduler", "filesystem/home", "filesystem/scratch", "s3"], results.Select(r => WireNames.Of(r.ServiceType) + r.Path));
        Assert.All(results, r =>
        {
            Assert.True(r.Healthy, r.Message);
            Assert.InRange(r.LastChecked!.Value, before, DateTimeOffset.UtcNow);
            Assert.InRange(r.Latency!.Value, 0, 5);
        });
        Assert.Equal("Slurmctld(primary) at vm is UP", results[1].Message);
        Assert.Equal(["ls -d -- '/home'", "ls -d -- '/scratch'", "true"], shell.Calls.Select(c => c.Command).Order(StringComparer.Ordinal));
        Assert.All(shell.Calls, c => Assert.Equal(("alpha", "fireuser"), (c.System, c.User)));
        Assert.Equal("fireuser", Assert.Single(scheduler.Pings).Username);
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Ssh));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/scratch/u"));
        Assert.InRange(checker.LastRuns["alpha"], before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Failing_ssh_probe_makes_only_ssh_unhealthy()
    {
        var shell = new HangingShell(new TranscriptShell().With("true", "", "Permission denied (publickey).", 255));
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Ssh, HealthServiceType.Scheduler))), shell);

        await checker.RunOnceAsync(CancellationToken.None);

        var ssh = checker.GetResults("alpha")!.Single(r => r.ServiceType == HealthServiceType.Ssh);
        Assert.False(ssh.Healthy);
        Assert.Equal("'true' exited with 255: Permission denied (publickey).", ssh.Message);
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Ssh));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Scheduler));
    }

    [Fact]
    public async Task Connection_error_of_the_shell_is_an_unhealthy_result_not_an_exception()
    {
        var shell = new FailingShell(new HpcException(HpcErrorKind.ConnectionFailed, "connection refused"));
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Ssh, HealthServiceType.Filesystem), "/home")), shell);

        await checker.RunOnceAsync(CancellationToken.None);

        var results = checker.GetResults("alpha")!;
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("HpcException: connection refused", r.Message));
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/home/x"));
    }

    [Fact]
    public async Task Hanging_probe_is_unhealthy_once_its_timeout_passes()
    {
        var shell = new HangingShell(HealthyShell(), match: "'/scratch'");
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(2, HealthServiceType.Filesystem, HealthServiceType.Ssh), "/home", "/scratch")), shell);
        var watch = Stopwatch.StartNew();

        await checker.RunOnceAsync(CancellationToken.None);

        // The probe never answers: the check returns once the 2 s timeout passes (a loaded machine may stretch that). The
        // timeout is long enough that the probes that answer do so within it however slow the machine.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.95), TimeSpan.FromSeconds(60));
        var scratch = checker.GetResults("alpha")!.Single(r => r.Path == "/scratch");
        Assert.False(scratch.Healthy);
        Assert.Equal("filesystem probe timed out after 2 s", scratch.Message);
        Assert.InRange(scratch.Latency!.Value, 1.95, 60);
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/scratch/run/out.txt"));
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/scratch"));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/home/fireuser"));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/scratchpad/x"));
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Filesystem));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Ssh));
    }

    [Fact]
    public async Task Nested_file_systems_gate_by_the_deepest_mount()
    {
        var shell = new HangingShell(new TranscriptShell().With("ls -d -- '/home'", "", "ls: cannot access '/home': No such file or directory", 2).With("ls -d -- '/home/apps'", "/home/apps\n"));
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Filesystem), "/home", "/home/apps")), shell);

        await checker.RunOnceAsync(CancellationToken.None);

        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/home/apps/tool"));
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/home/user"));
    }

    [Fact]
    public async Task Scheduler_down_or_missing_is_unhealthy()
    {
        var settings = HealthTestConfig.Settings(
            HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Scheduler)),
            HealthTestConfig.Cluster("beta", HealthTestConfig.Services(5, HealthServiceType.Scheduler)));
        using var checker = new HealthChecker(settings, new HangingShell(HealthyShell()),
            name => name == "alpha" ? new FakeScheduler(up: false, message: "Slurmctld(primary) at vm is DOWN") : null,
            new HealthCheckerOptions { ProbeUser = "fireuser" });

        await checker.RunOnceAsync(CancellationToken.None);

        Assert.Equal("Slurmctld(primary) at vm is DOWN", Assert.Single(checker.GetResults("alpha")!).Message);
        Assert.Equal("no scheduler adapter for system beta", Assert.Single(checker.GetResults("beta")!).Message);
        Assert.False(checker.IsHealthy("alpha", HealthServiceType.Scheduler));
        Assert.False(checker.IsHealthy("beta", HealthServiceType.Scheduler));
    }

    [Fact]
    public async Task Nothing_is_gated_before_the_first_run()
    {
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(), "/home")), HealthyShell());

        Assert.Null(checker.GetResults("alpha"));
        Assert.Empty(checker.LastRuns);
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Ssh));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Filesystem, "/home"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Systems_without_probing_services_are_not_gated_but_get_a_liveness_time()
    {
        var shell = new HangingShell(HealthyShell());
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("beta", null, "/home")), shell);

        await checker.RunOnceAsync(CancellationToken.None);

        Assert.Empty(checker.GetResults("beta")!);
        Assert.Empty(shell.Calls);
        Assert.True(checker.IsHealthy("beta", HealthServiceType.Ssh));
        Assert.Contains("beta", checker.LastRuns.Keys);
    }

    [Fact]
    public async Task Liveness_keeps_the_time_of_the_last_run_per_system()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        using var checker = Checker(
            HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Ssh)), HealthTestConfig.Cluster("beta", null)),
            HealthyShell(), options: new HealthCheckerOptions { ProbeUser = "fireuser", TimeProvider = clock });

        await checker.RunOnceAsync(CancellationToken.None);
        var first = checker.LastRuns;
        clock.Advance(TimeSpan.FromMinutes(2));
        await checker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), first["alpha"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 2, 0, TimeSpan.Zero), checker.LastRuns["alpha"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 2, 0, TimeSpan.Zero), checker.LastRuns["beta"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 2, 0, TimeSpan.Zero), checker.GetResults("alpha")![0].LastChecked);
    }

    [Fact]
    public async Task Probes_run_as_the_user_named_in_the_service_account_token()
    {
        var handler = new FakeHttpHandler((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK,
            $"{{\"access_token\":\"{FakeHttpHandler.Jwt("{\"preferred_username\":\"svcuser\",\"sub\":\"svc\"}")}\",\"expires_in\":300}}")));
        var shell = new HangingShell(HealthyShell());
        using var http = new HttpClient(handler);
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Ssh, HealthServiceType.Filesystem), "/home")), shell,
            options: new HealthCheckerOptions { HttpClient = http });

        await checker.RunOnceAsync(CancellationToken.None);
        await checker.RunOnceAsync(CancellationToken.None);

        Assert.All(checker.GetResults("alpha")!, r => Assert.True(r.Healthy, r.Message));
        Assert.All(shell.Calls, c => Assert.Equal("svcuser", c.User));
        Assert.Single(handler.Requests); // the token is cached between runs
        Assert.Equal("http://127.0.0.1:1/token", handler.Requests[0].Request.RequestUri!.ToString());
    }

    [Fact]
    public async Task A_failed_token_fetch_gives_an_exception_entry_that_does_not_gate()
    {
        var handler = new FakeHttpHandler((_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\"}")));
        using var http = new HttpClient(handler);
        using var checker = Checker(HealthTestConfig.Settings(HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.Ssh))), HealthyShell(),
            options: new HealthCheckerOptions { HttpClient = http });

        await checker.RunOnceAsync(CancellationToken.None);

        var entry = Assert.Single(checker.GetResults("alpha")!);
        Assert.Equal(HealthServiceType.Exception, entry.ServiceType);
        Assert.False(entry.Healthy);
        Assert.StartsWith("Cluster HealthChecker execution failed with error: HpcException - The token endpoint http://127.0.0.1:1/token refused the client credentials of 'svc' (invalid_client)", entry.Message);
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Ssh));
    }

    [Fact]
    public async Task S3_probe_is_skipped_when_the_data_transfer_is_not_s3()
    {
        var cluster = HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(5, HealthServiceType.S3));
        cluster.DataOperation.DataTransfer = new DataTransferSettings { ServiceType = TransferMethod.Wormhole };
        using var checker = Checker(HealthTestConfig.Settings(cluster), HealthyShell());

        await checker.RunOnceAsync(CancellationToken.None);

        Assert.Empty(checker.GetResults("alpha")!);
    }

    [Fact]
    public async Task Background_service_repeats_the_check_on_the_interval_until_stopped()
    {
        // A probe's timeout runs on the same fake clock: with 5 s, an advance made while a check was in flight timed its
        // probe out and stored an unhealthy result (the last assertion failed in CI). A day is more than the advances that
        // can slip in between a check's start and its shell call.
        var cluster = HealthTestConfig.Cluster("alpha", HealthTestConfig.Services(86_400, HealthServiceType.Ssh));
        cluster.Probing.IntervalCheck = 60;
        var clock = new TimerCountingClock(counted: TimeSpan.FromSeconds(60));
        var shell = new HangingShell(HealthyShell());
        using var checker = Checker(HealthTestConfig.Settings(cluster), shell, options: new HealthCheckerOptions { ProbeUser = "fireuser", TimeProvider = clock });

        // The clock moves only here, by one interval for each wait on the interval the loop has begun, so it never moves
        // while a check is under way (moving it then would time out the check's probes). A check is counted once its
        // results are stored. The bound is wall time, not a number of yields: on a loaded machine many yields pass before
        // the background check gets a thread.
        var intervalsPassed = 0;
        async Task<IReadOnlyList<ServiceHealth>?> NextCheckAsync(IReadOnlyList<ServiceHealth>? seen)
        {
            var bound = System.Diagnostics.Stopwatch.StartNew();
            while (bound.Elapsed < TimeSpan.FromSeconds(30) && ReferenceEquals(checker.GetResults("alpha"), seen))
            {
                if (clock.Timers > intervalsPassed)
                {
                    intervalsPassed++;
                    clock.Advance(TimeSpan.FromSeconds(60));
                }
                await Task.Yield();
            }
            return checker.GetResults("alpha");
        }

        await checker.StartAsync(CancellationToken.None);
        var first = await NextCheckAsync(null);
        var callsAfterFirst = CallCount(shell);
        var second = await NextCheckAsync(first);
        var third = await NextCheckAsync(second);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotNull(third);
        Assert.False(ReferenceEquals(second, first) || ReferenceEquals(third, second), "the check did not repeat");
        Assert.True(CallCount(shell) > callsAfterFirst);
        // Each check's probes start an interval after the previous check ended. (The clock's reading between two checks
        // says nothing: the test may advance it while a check is already under way.)
        Assert.True(second.Min(r => r.LastChecked) - first.Max(r => r.LastChecked) >= TimeSpan.FromSeconds(60), "the second check came early");
        Assert.True(third.Min(r => r.LastChecked) - second.Max(r => r.LastChecked) >= TimeSpan.FromSeconds(60), "the third check came early");
        await checker.StopAsync(CancellationToken.None);
        var resultsAtStop = checker.GetResults("alpha");
        var calls = CallCount(shell);
        clock.Advance(TimeSpan.FromHours(1));
        await Task.Yield();

        // A probe already handed to the thread pool when the checker stopped may still reach the shell (the stop does
        // not wait for a probe, which may ignore its token); no check starts after the stop.
        Assert.InRange(CallCount(shell), calls, calls + 1);
        Assert.Same(resultsAtStop, checker.GetResults("alpha"));
        Assert.True(checker.IsHealthy("alpha", HealthServiceType.Ssh));
    }

    private static int CallCount(HangingShell shell)
    {
        lock (shell.Calls) return shell.Calls.Count;
    }
}
