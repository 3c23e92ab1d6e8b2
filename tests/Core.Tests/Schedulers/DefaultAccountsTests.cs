using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Core.Tests.Ssh;
using Firecrest.Core.Tests.TestDoubles;

namespace Firecrest.Core.Tests.Schedulers;

public class DefaultAccountsTests
{
    private static readonly UserIdentity User = new("fireuser");

    private static IReadOnlyList<SchedulerAccount> Slurm() =>
        [new SchedulerAccount { Name = "hpcproj2" }, new SchedulerAccount { Name = "hpcproj", Default = true }];

    [Fact]
    public async Task A_given_account_is_kept_without_asking_the_scheduler()
    {
        var scheduler = new FakeScheduler { Accounts = _ => Slurm() };
        Assert.Equal("other", await new DefaultAccounts(scheduler, new SchedulerSettings()).ResolveAsync(User, "other", CancellationToken.None));
        Assert.Equal(0, scheduler.AccountQueries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Without_an_account_the_default_association_is_used(string? account)
    {
        var scheduler = new FakeScheduler { Accounts = _ => Slurm() };
        Assert.Equal("hpcproj", await new DefaultAccounts(scheduler, new SchedulerSettings()).ResolveAsync(User, account, CancellationToken.None));
    }

    [Fact]
    public async Task The_answer_is_cached_per_user_for_the_cache_time()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var scheduler = new FakeScheduler { Accounts = _ => Slurm() };
        var accounts = new DefaultAccounts(scheduler, new SchedulerSettings(), clock);

        await accounts.ResolveAsync(User, null, CancellationToken.None);
        clock.Advance(DefaultAccounts.CacheTime - TimeSpan.FromSeconds(1));
        await accounts.ResolveAsync(User, null, CancellationToken.None);
        Assert.Equal(1, scheduler.AccountQueries);
        await accounts.ResolveAsync(new UserIdentity("fireuser2"), null, CancellationToken.None);
        Assert.Equal(2, scheduler.AccountQueries);
        clock.Advance(TimeSpan.FromSeconds(2));
        await accounts.ResolveAsync(User, null, CancellationToken.None);
        Assert.Equal(3, scheduler.AccountQueries);
    }

    [Fact]
    public async Task Without_scheduler_accounts_the_configured_default_is_used()
    {
        var scheduler = new FakeScheduler { Accounts = _ => null };
        var settings = new SchedulerSettings { Type = SchedulerType.Pbs, DefaultAccount = "pbsproj" };
        Assert.Equal("pbsproj", await new DefaultAccounts(scheduler, settings).ResolveAsync(User, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_user_with_no_default_gets_none()
    {
        var scheduler = new FakeScheduler { Accounts = _ => [new SchedulerAccount { Name = "x" }] };
        Assert.Null(await new DefaultAccounts(scheduler, new SchedulerSettings()).ResolveAsync(User, null, CancellationToken.None));
    }
}
