using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Idempotency;
using Firecrest.Core.Models;
using Firecrest.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace Firecrest.Core.Tests.Idempotency;

public sealed class IdempotentSubmitTests
{
    private static readonly UserIdentity User = new("fireuser");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeScheduler _scheduler = new();

    private static JobDescription Job(string script = "#!/bin/bash\ntrue", string dir = "/home/fireuser") =>
        new() { WorkingDirectory = dir, Script = script, Name = "idem", Env = new() { ["B"] = "2", ["A"] = "1" } };

    private Operations.IComputeOperations Compute(UserIdentity? user = null, IIdempotencyStore? store = null)
    {
        var settings = new FirecrestSettings();
        var system = new HpcSystemContext(new ClusterSettings { Name = "cluster" }, _scheduler, null!, null!);
        return new FirecrestEngine(settings, [system], new NoHealth(), store ?? new InMemoryIdempotencyStore(_time)).ForUser(user ?? User).Compute;
    }

    [Fact]
    public async Task The_same_key_and_request_submit_once_and_return_the_first_id()
    {
        var compute = Compute();
        var first = await compute.SubmitJobAsync("cluster", Job(), "k1");
        Assert.Equal(first, await compute.SubmitJobAsync("CLUSTER", Job(), "k1"));
        Assert.Single(_scheduler.Submitted);
        Assert.NotEqual(first, await compute.SubmitJobAsync("cluster", Job(), "k2"));
        await compute.SubmitJobAsync("cluster", Job());
        await compute.SubmitJobAsync("cluster", Job());
        Assert.Equal(4, _scheduler.Submitted.Count);
    }

    [Fact]
    public async Task Environment_order_does_not_change_the_request()
    {
        var compute = Compute();
        var reordered = Job();
        reordered.Env = new() { ["A"] = "1", ["B"] = "2" };
        Assert.Equal(await compute.SubmitJobAsync("cluster", Job(), "k"), await compute.SubmitJobAsync("cluster", reordered, "k"));
    }

    [Theory]
    [InlineData("script")]
    [InlineData("directory")]
    [InlineData("env")]
    [InlineData("path")]
    public async Task The_same_key_with_another_request_is_refused_and_submits_nothing(string change)
    {
        var compute = Compute();
        await compute.SubmitJobAsync("cluster", Job(), "k");
        var other = Job();
        switch (change)
        {
            case "script": other.Script += "\nfalse"; break;
            case "directory": other.WorkingDirectory = "/tmp"; break;
            case "env": other.Env!["A"] = "9"; break;
            case "path": other.Script = null; other.ScriptPath = "/home/fireuser/run.sh"; break;
        }
        var e = await Assert.ThrowsAsync<HpcException>(() => compute.SubmitJobAsync("cluster", other, "k"));
        Assert.Equal(HpcErrorKind.IdempotencyMismatch, e.Kind);
        Assert.Contains("Idempotency-Key 'k'", e.Message);
        Assert.Single(_scheduler.Submitted);
    }

    [Fact]
    public async Task Keys_are_scoped_by_user()
    {
        await Compute().SubmitJobAsync("cluster", Job(), "shared");
        await Compute(new UserIdentity("fireuser2")).SubmitJobAsync("cluster", Job("#!/bin/bash\nother"), "shared");
        Assert.Equal(2, _scheduler.Submitted.Count);
    }

    [Fact]
    public async Task A_key_expires_after_24_hours()
    {
        var store = new InMemoryIdempotencyStore(_time);
        var compute = Compute(store: store);
        var first = await compute.SubmitJobAsync("cluster", Job(), "k");
        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await compute.SubmitJobAsync("cluster", Job(), "k"));
        await Assert.ThrowsAsync<HpcException>(() => compute.SubmitJobAsync("cluster", Job("#!/bin/bash\nx"), "k"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await compute.SubmitJobAsync("cluster", Job("#!/bin/bash\nx"), "k");
        Assert.NotEqual(first, second);
        Assert.Equal(2, _scheduler.Submitted.Count);
    }

    [Fact]
    public async Task Expired_keys_are_swept()
    {
        var store = new InMemoryIdempotencyStore(_time);
        var compute = Compute(store: store);
        await compute.SubmitJobAsync("cluster", Job(), "a");
        await compute.SubmitJobAsync("cluster", Job(), "b");
        Assert.Equal(2, store.Count);
        _time.Advance(TimeSpan.FromHours(25));
        await compute.SubmitJobAsync("cluster", Job(), "c");
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task A_failed_submit_does_not_poison_the_key()
    {
        var compute = Compute();
        _scheduler.FailWith = new HpcException(HpcErrorKind.ConnectionFailed, "ssh down");
        await Assert.ThrowsAsync<HpcException>(() => compute.SubmitJobAsync("cluster", Job(), "k"));
        _scheduler.FailWith = null;
        var id = await compute.SubmitJobAsync("cluster", Job(), "k");
        Assert.Equal(id, await compute.SubmitJobAsync("cluster", Job(), "k"));
        Assert.Single(_scheduler.Submitted);
    }

    [Fact]
    public async Task Racing_calls_with_one_key_submit_once_and_all_get_the_first_id()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submits = 0;
        var submitter = new IdempotentSubmitter(new InMemoryIdempotencyStore(_time));
        var key = new IdempotencyKey("fireuser", "cluster", "race");
        async Task<string> Submit(CancellationToken ct)
        {
            Interlocked.Increment(ref submits);
            await gate.Task;
            return "4242";
        }
        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(() => submitter.SubmitAsync(key, Job(), Submit, CancellationToken.None))).ToArray();
        while (Volatile.Read(ref submits) == 0) await Task.Yield();
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        gate.SetResult();
        Assert.All(await Task.WhenAll(calls), id => Assert.Equal("4242", id));
        Assert.Equal(1, submits);
    }

    [Fact]
    public async Task A_waiter_takes_over_when_the_first_submit_fails()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submits = 0;
        var submitter = new IdempotentSubmitter(new InMemoryIdempotencyStore(_time));
        var key = new IdempotencyKey("fireuser", "cluster", "retry");
        async Task<string> Submit(CancellationToken ct)
        {
            if (Interlocked.Increment(ref submits) == 1)
            {
                await gate.Task;
                throw new HpcException(HpcErrorKind.Timeout, "sbatch timed out");
            }
            return "77";
        }
        var first = submitter.SubmitAsync(key, Job(), Submit, CancellationToken.None);
        var second = submitter.SubmitAsync(key, Job(), Submit, CancellationToken.None);
        Assert.False(second.IsCompleted);
        gate.SetResult();
        await Assert.ThrowsAsync<HpcException>(() => first);
        Assert.Equal("77", await second);
        Assert.Equal(2, submits);
    }

    [Fact]
    public async Task A_waiter_can_be_cancelled_without_harming_the_submit()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var submitter = new IdempotentSubmitter(new InMemoryIdempotencyStore(_time));
        var key = new IdempotencyKey("fireuser", "cluster", "cancel");
        var first = submitter.SubmitAsync(key, Job(), _ => gate.Task, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiter = submitter.SubmitAsync(key, Job(), _ => Task.FromResult("never"), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        gate.SetResult("5");
        Assert.Equal("5", await first);
        Assert.Equal("5", await submitter.SubmitAsync(key, Job(), _ => Task.FromResult("never"), CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_empty_or_too_long_key_is_refused(string? prefix)
    {
        var key = prefix ?? new string('k', IdempotencyKey.MaxLength + 1);
        var e = await Assert.ThrowsAsync<HpcException>(() => Compute().SubmitJobAsync("cluster", Job(), key));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Empty(_scheduler.Submitted);
    }

    [Fact]
    public void The_fingerprint_tells_null_from_empty_and_field_boundaries_apart()
    {
        var a = new JobDescription { WorkingDirectory = "/w", Script = "x", Name = "" };
        var b = new JobDescription { WorkingDirectory = "/w", Script = "x" };
        var c = new JobDescription { WorkingDirectory = "/w", Script = "x", Name = "a", Account = "b" };
        var d = new JobDescription { WorkingDirectory = "/w", Script = "x", Name = "a;", Account = "b" };
        Assert.NotEqual(SubmitFingerprint.Of(a), SubmitFingerprint.Of(b));
        Assert.NotEqual(SubmitFingerprint.Of(c), SubmitFingerprint.Of(d));
        Assert.Equal(SubmitFingerprint.Of(c), SubmitFingerprint.Of(new JobDescription { WorkingDirectory = "/w", Script = "x", Name = "a", Account = "b" }));
    }

    private sealed class NoHealth : IHealthState
    {
        public IReadOnlyDictionary<string, DateTimeOffset> LastRuns { get; } = new Dictionary<string, DateTimeOffset>();
        public IReadOnlyList<ServiceHealth>? GetResults(string system) => null;
        public bool IsHealthy(string system, HealthServiceType serviceType, string? path = null) => true;
    }
}
