using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Health;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Server.Hosting.Readiness;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Server.Tests.Apis;

/// <summary><c>GET /status/readiness/</c> on the in-process server, its health state from a real <see cref="HealthChecker"/>.</summary>
public sealed class ReadinessApiTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FirecrestFactory _f;
    private readonly HealthChecker _checker;
    private readonly List<IReadinessCondition> _extra = [];

    public ReadinessApiTests() : this(null) { }

    private ReadinessApiTests(IDictionary<string, string?>? serverSettings)
    {
        _f = new FirecrestFactory(serverSettings: serverSettings);
        var shell = new TranscriptShell().With("ls -d --", "/home\n").With("true", "");
        _checker = new HealthChecker(_f.Settings, shell, _ => null, new HealthCheckerOptions { ProbeUser = "fireuser", TimeProvider = _time });
    }

    public void Dispose()
    {
        _checker.Dispose();
        _f.Dispose();
    }

    /// <summary>The server with the fake engine's operations and the real checker's health state, on the fake clock.</summary>
    private HttpClient Client(FirecrestFactory? factory = null) => (factory ?? _f).WithWebHostBuilder(b => b.ConfigureTestServices(s =>
    {
        s.AddSingleton<TimeProvider>(_time);
        s.AddSingleton<IHpcEngine>(new CheckedEngine(_f.Engine, _checker));
        foreach (var c in _extra) s.AddSingleton(c);
    })).CreateClient();

    [Fact]
    public async Task Is_503_naming_the_health_condition_before_the_first_check_and_200_after()
    {
        var client = Client();

        var before = await (await client.GetAsync("/status/readiness/")).AssertError(503,
            "Not ready: health_checked: the health checker has not finished a run for any system yet");
        Assert.Null(before.GetProperty("user").GetString());
        var data = before.GetProperty("data");
        Assert.False(data.GetProperty("ready").GetBoolean());
        Assert.Equal([("configuration", true), ("health_checked", false)],
            data.GetProperty("conditions").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("ready").GetBoolean())));

        await _checker.RunOnceAsync(CancellationToken.None);

        var after = await (await client.GetAsync("/status/readiness/")).AssertStatus(200);
        Assert.Equal(["ready", "conditions"], after.Keys());
        Assert.True(after.GetProperty("ready").GetBoolean());
        Assert.Equal($"checked: cluster at {Start:O}", after.GetProperty("conditions")[1].GetProperty("message").GetString());
        Assert.Equal("loaded; systems: cluster", after.GetProperty("conditions")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unhealthy_services_still_count_as_checked_and_liveness_is_unchanged()
    {
        var failing = new TranscriptShell().With("true", "", "Permission denied (publickey).", 255).With("ls -d --", "", "No such file", 2);
        using var checker = new HealthChecker(_f.Settings, failing, _ => null, new HealthCheckerOptions { ProbeUser = "fireuser", TimeProvider = _time });
        await checker.RunOnceAsync(CancellationToken.None);
        Assert.False(checker.IsHealthy("cluster", HealthServiceType.Ssh));
        var client = _f.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(_time);
            s.AddSingleton<IHpcEngine>(new CheckedEngine(_f.Engine, checker));
        })).CreateClient();

        await (await client.GetAsync("/status/readiness")).AssertStatus(200);
        _time.Advance(TimeSpan.FromSeconds(42));
        var liveness = await (await client.GetAsync("/status/liveness/")).AssertStatus(200);
        Assert.Equal(["healthcheckRuns", "lastUpdate"], liveness.Keys());
        Assert.Equal(42, liveness.GetProperty("lastUpdate").GetInt64());
    }

    [Fact]
    public async Task Needs_no_token_and_answers_under_the_root_path_too()
    {
        await _checker.RunOnceAsync(CancellationToken.None);
        using var prefixed = new FirecrestFactory(s => s.ApisRootPath = "/api/v2");
        var client = Client(prefixed);
        await (await client.GetAsync("/api/v2/status/readiness/")).AssertStatus(200);
        await (await client.GetAsync("/STATUS/Readiness/")).AssertStatus(200);
    }

    [Fact]
    public async Task A_registered_condition_that_fails_or_throws_makes_it_503_not_500()
    {
        await _checker.RunOnceAsync(CancellationToken.None);
        _extra.Add(new FixedCondition("shared_state", false, "redis at redis:6379 refused the connection"));
        _extra.Add(new ThrowingCondition());
        var body = await (await Client().GetAsync("/status/readiness/")).AssertError(503,
            "Not ready: shared_state: redis at redis:6379 refused the connection; thrower: InvalidOperationException: boom");
        Assert.Equal(["configuration", "health_checked", "shared_state", "thrower"],
            body.GetProperty("data").GetProperty("conditions").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_condition_that_hangs_is_reported_after_the_timeout()
    {
        await _checker.RunOnceAsync(CancellationToken.None);
        var hanging = new HangingCondition();
        _extra.Add(hanging);
        var request = Client().GetAsync("/status/readiness/");
        await hanging.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(request.IsCompleted);
        _time.Advance(ReadinessEvaluator.ConditionTimeout);
        await (await request.WaitAsync(TimeSpan.FromSeconds(30))).AssertError(503, "Not ready: hangs: no answer within 2 s");
    }

    [Fact]
    public async Task A_configuration_without_systems_is_not_ready()
    {
        using var empty = new FirecrestFactory(s => s.Clusters.Clear());
        var body = await (await empty.CreateClient().GetAsync("/status/readiness/")).AssertError(503);
        Assert.StartsWith("Not ready: configuration: the configuration names no system", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Is_not_rate_limited()
    {
        using var limited = new FirecrestFactory(serverSettings: new Dictionary<string, string?>
        {
            ["Server:RateLimitPerSecond"] = "1",
            ["Server:RateLimitBurst"] = "1",
        });
        await _checker.RunOnceAsync(CancellationToken.None);
        var client = Client(limited);
        for (var i = 0; i < 5; i++)
            await (await client.GetAsync("/status/readiness/")).AssertStatus(200);
        // The limiter is active: the same address is refused on an ordinary anonymous route.
        var liveness = new List<int>();
        for (var i = 0; i < 5; i++) liveness.Add((int)(await client.GetAsync("/status/liveness/")).StatusCode);
        Assert.Contains(429, liveness);
    }

    private sealed class CheckedEngine(FakeEngine operations, IHealthState health) : IHpcEngine
    {
        public IHealthState Health => health;
        public IHpcOperations ForUser(Firecrest.Core.UserIdentity user) => operations.ForUser(user);
    }

    private sealed class FixedCondition(string name, bool ready, string message) : IReadinessCondition
    {
        public string Name => name;
        public ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new ReadinessCheck(name, ready, message));
    }

    private sealed class ThrowingCondition : IReadinessCondition
    {
        public string Name => "thrower";
        public ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }

    private sealed class HangingCondition : IReadinessCondition
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "hangs";
        public async ValueTask<ReadinessCheck> CheckAsync(CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return new ReadinessCheck(Name, true, "never");
        }
    }
}
