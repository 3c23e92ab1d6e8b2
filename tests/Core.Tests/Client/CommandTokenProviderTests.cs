using Firecrest.Core.Client;
using Firecrest.Core.Tests.Health;

namespace Firecrest.Core.Tests.Client;

/// <summary>The token command runs through the shell; its output is cached by the JWT's expiry or a configured time.</summary>
public sealed class CommandTokenProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokcmd").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A command that counts its runs in a file and prints <paramref name="token"/>.</summary>
    private string Counting(string token) => $"echo run >> '{_dir}/runs'; printf '%s\\n' '{token}'";

    private int Runs => File.Exists(Path.Combine(_dir, "runs")) ? File.ReadAllLines(Path.Combine(_dir, "runs")).Length : 0;

    [Fact]
    public async Task The_trimmed_stdout_of_the_command_is_the_token()
    {
        var provider = new CommandTokenProvider("printf '  abc.def \\n\\n'");
        Assert.Equal("abc.def", await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_jwt_is_reused_until_a_minute_before_its_expiry()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var jwt = FakeHttpHandler.Jwt("{\"exp\":1800000300}");
        var provider = new CommandTokenProvider(Counting(jwt), time: clock);

        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(239));
        await provider.GetTokenAsync(CancellationToken.None);
        Assert.Equal(1, Runs);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(jwt, await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task A_configured_cache_time_shorter_than_the_jwt_lifetime_wins()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var provider = new CommandTokenProvider(Counting(FakeHttpHandler.Jwt("{\"exp\":1800003600}")), cacheFor: TimeSpan.FromSeconds(30), time: clock);

        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task An_opaque_token_is_cached_only_for_the_configured_time()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var uncached = new CommandTokenProvider(Counting("opaque"), time: clock);
        await uncached.GetTokenAsync(CancellationToken.None);
        await uncached.GetTokenAsync(CancellationToken.None);
        Assert.Equal(2, Runs);

        var cached = new CommandTokenProvider(Counting("opaque"), cacheFor: TimeSpan.FromMinutes(5), time: clock);
        await cached.GetTokenAsync(CancellationToken.None);
        await cached.GetTokenAsync(CancellationToken.None);
        Assert.Equal(3, Runs);
    }

    [Fact]
    public async Task Invalidate_makes_the_next_call_run_the_command_again()
    {
        var provider = new CommandTokenProvider(Counting("opaque"), cacheFor: TimeSpan.FromHours(1));
        await provider.GetTokenAsync(CancellationToken.None);
        provider.Invalidate();
        await provider.GetTokenAsync(CancellationToken.None);
        Assert.Equal(2, Runs);
    }

    [Fact]
    public async Task A_failing_command_is_unauthenticated_with_its_stderr()
    {
        var provider = new CommandTokenProvider("echo 'no session' >&2; exit 3");
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal((HpcErrorKind.Unauthenticated, 3), (e.Kind, e.ExitStatus));
        Assert.Contains("no session", e.Message);
    }

    [Fact]
    public async Task A_command_that_prints_nothing_is_unauthenticated()
    {
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => new CommandTokenProvider("true").GetTokenAsync(CancellationToken.None));
        Assert.Equal(HpcErrorKind.Unauthenticated, e.Kind);
    }

    [Fact]
    public async Task A_command_that_hangs_is_stopped_after_the_timeout()
    {
        var provider = new CommandTokenProvider("sleep 30; echo late", timeout: TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(HpcErrorKind.Timeout, e.Kind);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_stops_the_command()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var provider = new CommandTokenProvider("sleep 30; echo late");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetTokenAsync(cts.Token));
    }

    [Fact]
    public void An_empty_command_is_refused()
    {
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.ThrowsAny<HpcException>(() => new CommandTokenProvider(" ")).Kind);
    }
}
