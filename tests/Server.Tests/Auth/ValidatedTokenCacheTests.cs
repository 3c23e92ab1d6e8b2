using System.Security.Claims;
using Firecrest.Server.Auth;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Tests.Auth;

public sealed class ValidatedTokenCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static TokenValidationResult Valid() => new() { IsValid = true };

    [Fact]
    public void Entry_is_used_until_its_deadline_and_not_after()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("t", Valid(), clock.Now.AddSeconds(10), keyGeneration: 1);
        Assert.True(cache.TryGet("t", 1, out _));
        clock.Now = clock.Now.AddSeconds(10);
        Assert.False(cache.TryGet("t", 1, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Entry_of_an_older_key_generation_is_dropped()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("t", Valid(), clock.Now.AddMinutes(5), keyGeneration: 1);
        Assert.False(cache.TryGet("t", 2, out _));
        Assert.False(cache.TryGet("t", 1, out _));
    }

    [Fact]
    public void Only_the_exact_token_string_hits()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("abc.def.ghi", Valid(), clock.Now.AddMinutes(5), 1);
        Assert.False(cache.TryGet("abc.def.ghI", 1, out _));
        Assert.False(cache.TryGet("abc.def.ghi ", 1, out _));
        Assert.True(cache.TryGet("abc.def.ghi", 1, out _));
    }

    [Fact]
    public void Hits_share_one_read_only_copy_of_the_identity()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        var identity = new ClaimsIdentity([new Claim("preferred_username", "alice"), new Claim("scope", "openid")], "Bearer", "preferred_username", "roles");
        cache.Add("t", new TokenValidationResult { IsValid = true, ClaimsIdentity = identity }, clock.Now.AddMinutes(5), 1);
        var first = cache.TryGetPrincipal("t", 1)!;
        var second = cache.TryGetPrincipal("t", 1)!;

        Assert.Same(first, second);
        var shared = Assert.IsType<ReadOnlyClaimsIdentity>(first.Identity);
        Assert.NotSame(identity, shared);
        Assert.True(shared.IsAuthenticated);
        Assert.Equal("Bearer", shared.AuthenticationType);
        Assert.Equal("alice", shared.Name);
        Assert.Equal("roles", shared.RoleClaimType);
        Assert.Equal(["preferred_username", "scope"], shared.Claims.Select(c => c.Type));
        Assert.All(shared.Claims, c => Assert.Same(shared, c.Subject));

        // No request can change what the next one sees.
        var claim = shared.Claims.First();
        Assert.Throws<InvalidOperationException>(() => shared.AddClaim(new Claim("added", "by one request")));
        Assert.Throws<InvalidOperationException>(() => shared.AddClaims([new Claim("added", "by one request")]));
        Assert.Throws<InvalidOperationException>(() => shared.RemoveClaim(claim));
        Assert.Throws<InvalidOperationException>(() => shared.TryRemoveClaim(claim));
        Assert.Throws<InvalidOperationException>(() => first.AddIdentity(new ClaimsIdentity()));
        Assert.Throws<InvalidOperationException>(() => first.AddIdentities([new ClaimsIdentity()]));
        Assert.Equal(2, second.Claims.Count());
        Assert.Single(second.Identities);

        // A clone is an ordinary identity of its own.
        var copy = shared.Clone();
        copy.AddClaim(new Claim("added", "to the copy"));
        Assert.Null(second.FindFirst("added"));
        Assert.Equal(2, identity.Claims.Count());

        Assert.Null(cache.TryGetPrincipal("t", 2));
        Assert.Null(cache.TryGetPrincipal("other", 1));
    }

    [Fact]
    public void A_deadline_already_passed_is_not_stored()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("t", Valid(), clock.Now, 1);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_stays_bounded()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        for (var i = 0; i < ValidatedTokenCache.Capacity + 50; i++) cache.Add("t" + i, Valid(), clock.Now.AddMinutes(5), 1);
        Assert.InRange(cache.Count, 1, ValidatedTokenCache.Capacity);
    }

    [Fact]
    public void Entries_past_their_deadline_are_swept_when_a_later_token_is_added()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("first", Valid(), clock.Now.AddMinutes(5), 1);
        for (var i = 0; i < 20; i++) cache.Add("old" + i, Valid(), clock.Now.AddSeconds(30), 1);
        Assert.Equal(21, cache.Count);

        clock.Now = clock.Now.AddMinutes(2);
        cache.Add("new", Valid(), clock.Now.AddMinutes(5), 1);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("first", 1, out _));
        Assert.True(cache.TryGet("new", 1, out _));
    }

    [Fact]
    public void Sweeping_runs_at_most_once_a_minute()
    {
        var clock = new ManualClock();
        var cache = new ValidatedTokenCache(clock);
        cache.Add("a", Valid(), clock.Now.AddMinutes(5), 1); // first add sweeps (nothing yet) and starts the minute
        cache.Add("short", Valid(), clock.Now.AddSeconds(10), 1);
        clock.Now = clock.Now.AddSeconds(20);
        cache.Add("b", Valid(), clock.Now.AddMinutes(5), 1);
        Assert.Equal(3, cache.Count); // "short" is past its deadline but the last sweep was 20 s ago
        clock.Now = clock.Now.AddSeconds(45);
        cache.Add("c", Valid(), clock.Now.AddMinutes(5), 1);
        Assert.Equal(3, cache.Count);
    }
}
