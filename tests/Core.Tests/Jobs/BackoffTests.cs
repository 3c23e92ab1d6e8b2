namespace Firecrest.Core.Tests.Jobs;

public sealed class BackoffTests
{
    [Fact]
    public void Grows_by_the_factor_up_to_the_cap()
    {
        var b = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), factor: 2);
        Assert.Equal([100, 200, 400, 500, 500], new[] { 0, 1, 2, 3, 40 }.Select(a => b.Delay(a).TotalMilliseconds));
        Assert.Equal(500, b.Delay(int.MaxValue).TotalMilliseconds);
    }

    [Fact]
    public void Jitter_takes_a_share_of_the_delay_at_random()
    {
        var b = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.5);
        Assert.Equal(50, b.Delay(0, 0.0).TotalMilliseconds);
        Assert.Equal(75, b.Delay(0, 0.5).TotalMilliseconds);
        Assert.Equal(100, b.Delay(0, 1.0).TotalMilliseconds);
        var random = new Random(7);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(b.Delay(1, random).TotalMilliseconds, 100, 200));
    }

    [Fact]
    public void A_cap_below_the_first_delay_is_raised_and_bad_factors_are_refused()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)).Delay(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, TimeSpan.Zero, factor: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, TimeSpan.Zero, jitter: 2));
    }
}
