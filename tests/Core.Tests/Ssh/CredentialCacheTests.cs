using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh.Credentials;

namespace Firecrest.Core.Tests.Ssh;

public class CredentialCacheTests
{
    private sealed class CountingProvider(ManualTimeProvider clock, TimeSpan? lifetime) : ISshCredentialProvider
    {
        public int Calls;

        public Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new SshCredential($"key-{user.Username}-{Calls}", ExpiresAt: lifetime is { } l ? clock.GetUtcNow() + l : null));
        }
    }

    [Fact]
    public async Task Credential_is_reused_until_shortly_before_it_expires()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var inner = new CountingProvider(clock, TimeSpan.FromMinutes(5));
        var cache = new CachingCredentialProvider(inner, clock) { RenewBefore = TimeSpan.FromSeconds(30) };
        var user = new UserIdentity("u");

        var first = await cache.GetCredentialAsync(user, default);
        clock.Advance(TimeSpan.FromSeconds(269));
        Assert.Same(first, await cache.GetCredentialAsync(user, default));
        clock.Advance(TimeSpan.FromSeconds(2));
        var second = await cache.GetCredentialAsync(user, default);
        Assert.NotSame(first, second);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Short_lived_credential_is_renewed_after_three_quarters_of_its_life()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var inner = new CountingProvider(clock, TimeSpan.FromSeconds(60));
        var cache = new CachingCredentialProvider(inner, clock) { RenewBefore = TimeSpan.FromMinutes(10) };
        await cache.GetCredentialAsync(new UserIdentity("u"), default);
        clock.Advance(TimeSpan.FromSeconds(44));
        await cache.GetCredentialAsync(new UserIdentity("u"), default);
        Assert.Equal(1, inner.Calls);
        clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetCredentialAsync(new UserIdentity("u"), default);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Users_are_cached_separately_and_credentials_without_expiry_are_kept()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var inner = new CountingProvider(clock, null);
        var cache = new CachingCredentialProvider(inner, clock);
        var a = await cache.GetCredentialAsync(new UserIdentity("a"), default);
        var b = await cache.GetCredentialAsync(new UserIdentity("b"), default);
        clock.Advance(TimeSpan.FromDays(365));
        Assert.Same(a, await cache.GetCredentialAsync(new UserIdentity("a"), default));
        Assert.NotEqual(a.PrivateKey, b.PrivateKey);
        cache.Invalidate("a");
        Assert.NotSame(a, await cache.GetCredentialAsync(new UserIdentity("a"), default));
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Static_keys_provider_refuses_unknown_user_and_returns_configured_key()
    {
        var provider = new StaticKeyCredentialProvider(new Dictionary<string, StaticKeySettings> { ["u"] = new() { PrivateKey = "KEY", Passphrase = "pw" } });
        var c = await provider.GetCredentialAsync(new UserIdentity("u"), default);
        Assert.Equal(("KEY", "pw", (string?)null, (DateTimeOffset?)null), (c.PrivateKey, c.Passphrase, c.Certificate, c.ExpiresAt));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetCredentialAsync(new UserIdentity("other"), default));
        Assert.Equal(HpcErrorKind.Internal, e.Kind);
    }
}
