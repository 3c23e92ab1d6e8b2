using Firecrest.Core;
using Firecrest.Core.Idempotency;
using Firecrest.Server.SharedState;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.SharedState;

/// <summary>The Redis idempotency store against a real redis-server: two stores on two connections are two replicas.</summary>
[Trait("Category", "Cluster")] // needs redis-server from deploy/testenv/install.sh (build.ps1 test -Unit leaves it out)
public sealed class RedisIdempotencyStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static IdempotencyKey NewKey() => new("alice", "cluster", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_key_completed_on_one_replica_gives_its_job_on_the_other_and_another_request_is_a_mismatch()
    {
        using var a = new RedisIdempotencyStore(redis.Connect());
        using var b = new RedisIdempotencyStore(redis.Connect());
        var key = NewKey();
        Assert.Equal(IdempotencyOutcome.Claimed, (await a.ClaimAsync(key, "fp1", CancellationToken.None)).Outcome);
        await a.CompleteAsync(key, "42", CancellationToken.None);
        Assert.Equal(new IdempotencyClaim(IdempotencyOutcome.Completed, "42"), await b.ClaimAsync(key, "fp1", CancellationToken.None));
        Assert.Equal(IdempotencyOutcome.Mismatch, (await b.ClaimAsync(key, "fp2", CancellationToken.None)).Outcome);
        Assert.Equal(IdempotencyOutcome.Claimed, (await b.ClaimAsync(key with { User = "bob" }, "fp1", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Racing_claims_on_two_replicas_submit_once_and_the_waiter_gets_the_job()
    {
        using var a = new RedisIdempotencyStore(redis.Connect());
        using var b = new RedisIdempotencyStore(redis.Connect());
        var key = NewKey();
        var submits = 0;
        async Task<string> SubmitAsync(IIdempotencyStore store) =>
            await new IdempotentSubmitter(store).SubmitAsync(key, new Core.Models.JobDescription { Script = "true", WorkingDirectory = "/w" }, async _ =>
            {
                var n = Interlocked.Increment(ref submits);
                await Task.Delay(300);
                return "job-" + n;
            }, CancellationToken.None);
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => SubmitAsync(i % 2 == 0 ? a : b)));
        Assert.Equal(1, submits);
        Assert.All(ids, id => Assert.Equal("job-1", id));
    }

    [Fact]
    public async Task A_released_key_is_claimed_again_by_the_other_replica()
    {
        using var a = new RedisIdempotencyStore(redis.Connect());
        using var b = new RedisIdempotencyStore(redis.Connect());
        var key = NewKey();
        await a.ClaimAsync(key, "fp", CancellationToken.None);
        var waiting = b.ClaimAsync(key, "fp", CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await a.ReleaseAsync(key, CancellationToken.None);
        Assert.Equal(IdempotencyOutcome.Claimed, (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
    }

    [Fact]
    public async Task A_claim_kept_alive_by_its_holder_blocks_the_other_replica_and_once_the_holder_is_gone_its_lease_runs_out()
    {
        // Renewed every quarter lease: the claim is lost only if a renewal comes more than 3.75 s late.
        var lease = TimeSpan.FromSeconds(5);
        var a = new RedisIdempotencyStore(redis.Connect(), claimLease: lease);
        using var b = new RedisIdempotencyStore(redis.Connect(), claimLease: lease);
        var key = NewKey();
        await a.ClaimAsync(key, "fp", CancellationToken.None);
        // Renewed by its holder: still held after two leases.
        using (var early = new CancellationTokenSource(lease * 2))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.ClaimAsync(key, "fp", early.Token));
        a.Dispose(); // the holder's replica dies: no more renewals
        Assert.Equal(IdempotencyOutcome.Claimed, (await b.ClaimAsync(key, "fp", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60))).Outcome);
    }

    [Fact]
    public async Task Redis_down_is_a_503_naming_idempotent_submission()
    {
        using var down = await RedisServerProcess.StartAsync();
        await using var connection = new RedisConnection(down.ConnectionString);
        using var store = new RedisIdempotencyStore(connection);
        await store.ClaimAsync(NewKey(), "fp", CancellationToken.None);
        down.Kill();
        var e = await Assert.ThrowsAsync<HpcException>(() => store.ClaimAsync(NewKey(), "fp", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(HpcErrorKind.Unavailable, e.Kind);
        Assert.Contains("Idempotency-Key", e.Message);
        Assert.Contains("Redis", e.Message);
    }
}
