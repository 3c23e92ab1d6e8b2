using System.Collections.Concurrent;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Schedulers;

/// <summary>
/// The account charged when a request names none although the system needs one (transfer directives with
/// <c>{account}</c>): the user's default association from the scheduler (Slurm), else the system's configured
/// <c>scheduler.default_account</c> (PBS keeps no defaults). Answers are cached per user for <see cref="CacheTime"/>.
/// </summary>
public sealed class DefaultAccounts(IScheduler scheduler, SchedulerSettings settings, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string? Account, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>How long a user's default account is reused before the scheduler is asked again.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(5);

    /// <summary><paramref name="account"/> when given, else the user's default account; null when the user has none.</summary>
    public async Task<string?> ResolveAsync(UserIdentity user, string? account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!string.IsNullOrWhiteSpace(account)) return account;
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(user.Username, out var hit) && hit.Expires > now) return hit.Account;
        var accounts = await scheduler.GetAccountsAsync(user, cancellationToken).ConfigureAwait(false);
        var found = accounts?.FirstOrDefault(a => a.Default)?.Name;
        if (string.IsNullOrEmpty(found)) found = string.IsNullOrWhiteSpace(settings.DefaultAccount) ? null : settings.DefaultAccount;
        _cache[user.Username] = (found, now + CacheTime);
        return found;
    }
}
