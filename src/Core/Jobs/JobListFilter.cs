using Firecrest.Core.Models;

namespace Firecrest.Core.Jobs;

/// <summary>A bounded page of a job list.</summary>
/// <param name="Jobs">The jobs kept, newest first.</param>
/// <param name="Total">How many jobs matched before the limit.</param>
/// <param name="Truncated">True when jobs were left out by the limit.</param>
public sealed record JobListPage(IReadOnlyList<Job> Jobs, int Total, bool Truncated);

/// <summary>
/// Narrows a job list for callers that must stay small (assistants, dashboards): by normalised state, by time (jobs
/// still alive at or after a moment) and by name, newest first, then at most a limit.
/// </summary>
/// <param name="Limit">Most jobs kept (at least 1).</param>
/// <param name="States">Only these states; empty for all.</param>
/// <param name="Since">Only jobs not ended before this moment (pending and running jobs always match).</param>
/// <param name="Name">Only jobs with exactly this name.</param>
public sealed record JobListFilter(int Limit = JobListFilter.DefaultLimit, IReadOnlyCollection<JobState>? States = null, DateTimeOffset? Since = null, string? Name = null)
{
    /// <summary>Jobs kept when no limit is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest limit accepted.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The scheduler's look-back window that covers <see cref="Since"/> (1h … 7d); the widest when it is older than 7 days.</summary>
    public string TimeWindow(DateTimeOffset now)
    {
        if (Since is not { } since) return "24h";
        var back = now - since;
        return back <= TimeSpan.FromHours(1) ? "1h" : back <= TimeSpan.FromHours(8) ? "8h" : back <= TimeSpan.FromHours(24) ? "24h" : back <= TimeSpan.FromDays(3) ? "3d" : "7d";
    }

    /// <summary>Applies the filter to <paramref name="jobs"/>.</summary>
    /// <exception cref="HpcValidationException">The limit is out of range (field <c>limit</c>).</exception>
    public JobListPage Apply(IEnumerable<Job> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (Limit is < 1 or > MaxLimit) throw new HpcValidationException("limit", $"must be between 1 and {MaxLimit}, got {Limit}");
        var since = Since?.ToUnixTimeSeconds();
        var matching = jobs
            .Where(j => States is not { Count: > 0 } || States.Contains(j.State))
            .Where(j => since is null || !JobStates.IsFinal(j.State) || j.Time.End is not { } end || end == 0 || end >= since)
            .Where(j => Name is null || string.Equals(j.Name, Name, StringComparison.Ordinal))
            .OrderByDescending(j => j.Time.Start ?? long.MaxValue)
            .ThenByDescending(j => NumericId(j.JobId))
            .ToList();
        return new JobListPage(matching.Take(Limit).ToList(), matching.Count, matching.Count > Limit);
    }

    /// <summary>Parses state names (<c>pending</c>, <c>running</c>, <c>held</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>, <c>timeout</c>), case-insensitive.</summary>
    /// <exception cref="HpcValidationException">An unknown name (field <paramref name="field"/>).</exception>
    public static IReadOnlyCollection<JobState> ParseStates(IEnumerable<string>? names, string field = "state")
    {
        var states = new HashSet<JobState>();
        foreach (var name in names ?? [])
        {
            if (!Enum.TryParse<JobState>(name, ignoreCase: true, out var state) || state == JobState.Unknown || !Enum.IsDefined(state) || int.TryParse(name, out _))
                throw new HpcValidationException(field, $"unknown state '{name}'; use pending, running, held, completed, failed, cancelled or timeout");
            states.Add(state);
        }
        return states;
    }

    private static long NumericId(string id) => long.TryParse(id.Split('_', '.', '+')[0], out var n) ? n : 0;
}
