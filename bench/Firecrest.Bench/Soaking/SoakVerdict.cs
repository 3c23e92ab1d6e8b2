namespace Firecrest.Bench.Soaking;

/// <summary>One criterion of the soak verdict.</summary>
/// <param name="Criterion">What is judged.</param>
/// <param name="Measured">The figure.</param>
/// <param name="Threshold">The limit it is judged against.</param>
/// <param name="Met">Whether the figure is within the limit.</param>
public sealed record SoakCriterion(string Criterion, string Measured, string Threshold, bool Met);

/// <summary>
/// Judges a soak from its samples: memory flat (after warm-up, the mean RSS of the last window against the first,
/// the least-squares slope over the whole post-warm-up period, the spread of the last half), descriptors and threads
/// not growing, and no errors.
/// </summary>
public sealed class SoakVerdict
{
    /// <summary>Largest allowed RSS growth, first window to last, and projected by the slope: this share of the first window's mean.</summary>
    public const double MaxGrowthShare = 0.10;

    /// <summary>Largest allowed max − min of RSS over the last half, as a share of the first window's mean.</summary>
    public const double MaxSpreadShare = 0.25;

    /// <summary>Descriptors and threads: the last window's mean may be at most this factor of the first window's, plus <see cref="CountSlack"/>.</summary>
    public const double MaxCountFactor = 1.25;

    /// <summary>Absolute slack on descriptor and thread counts.</summary>
    public const int CountSlack = 5;

    private SoakVerdict(TimeSpan warmup, TimeSpan window, IReadOnlyList<SoakCriterion> criteria, double slopeMiBPerHour)
    {
        Warmup = warmup;
        Window = window;
        Criteria = criteria;
        SlopeMiBPerHour = slopeMiBPerHour;
    }

    /// <summary>Start of the run left out of the memory judgement.</summary>
    public TimeSpan Warmup { get; }

    /// <summary>Length of the first and last comparison windows.</summary>
    public TimeSpan Window { get; }

    /// <summary>The criteria, each met or not.</summary>
    public IReadOnlyList<SoakCriterion> Criteria { get; }

    /// <summary>RSS least-squares slope after warm-up.</summary>
    public double SlopeMiBPerHour { get; }

    /// <summary>True when every criterion is met.</summary>
    public bool Passed => Criteria.All(c => c.Met);

    /// <summary>Warm-up: 2 minutes, or a fifth of a shorter run.</summary>
    public static TimeSpan WarmupOf(TimeSpan duration) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(2).Ticks, duration.Ticks / 5));

    /// <summary>Judges <paramref name="samples"/> of a run of <paramref name="duration"/> with <paramref name="errors"/> errors.</summary>
    public static SoakVerdict Judge(IReadOnlyList<SoakSample> samples, TimeSpan duration, long errors)
    {
        var warmup = WarmupOf(duration);
        var window = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, (duration - warmup).Ticks / 3));
        var post = samples.Where(s => s.At > warmup).ToList();
        var first = post.Where(s => s.At <= warmup + window).ToList();
        var last = post.Where(s => s.At >= duration - window).ToList();
        var lastHalf = post.Where(s => s.At >= warmup + (duration - warmup) / 2).ToList();

        var firstRss = Mean(first, s => s.Process.RssMiB);
        var lastRss = Mean(last, s => s.Process.RssMiB);
        var slope = Slope(post);
        var projected = slope * (duration - warmup).TotalHours;
        var spread = lastHalf.Count == 0 ? double.NaN : lastHalf.Max(s => s.Process.RssMiB) - lastHalf.Min(s => s.Process.RssMiB);
        var growthLimit = MaxGrowthShare * firstRss;
        var spreadLimit = MaxSpreadShare * firstRss;
        string Min(TimeSpan t) => $"{t.TotalMinutes:0.#} min";
        var criteria = new List<SoakCriterion>
        {
            new($"RSS growth: mean of the last {Min(window)} − mean of the first {Min(window)} after warm-up ({Report.Num(firstRss, "0")} → {Report.Num(lastRss, "0")} MiB)",
                Report.Num(lastRss - firstRss, "0.0") + " MiB", $"≤ {MaxGrowthShare:P0} of the first window ({Report.Num(growthLimit, "0.0")} MiB)", lastRss - firstRss <= growthLimit),
            new($"RSS growth projected by the least-squares slope over the {Min(duration - warmup)} after warm-up ({Report.Num(slope, "0.0")} MiB/h)",
                Report.Num(projected, "0.0") + " MiB", $"≤ {MaxGrowthShare:P0} of the first window ({Report.Num(growthLimit, "0.0")} MiB)", projected <= growthLimit),
            new("RSS spread (max − min) over the last half of the post-warm-up period",
                Report.Num(spread, "0.0") + " MiB", $"≤ {MaxSpreadShare:P0} of the first window ({Report.Num(spreadLimit, "0.0")} MiB)", spread <= spreadLimit),
            Count("Open file descriptors", first, last, s => s.Process.Fds),
            Count("Threads", first, last, s => s.Process.Threads),
            new("Errors (whole run, warm-up included)", errors.ToString(), "0", errors == 0),
        };
        return new SoakVerdict(warmup, window, criteria, slope);
    }

    private static SoakCriterion Count(string name, List<SoakSample> first, List<SoakSample> last, Func<SoakSample, double> value)
    {
        var a = Mean(first, value);
        var b = Mean(last, value);
        var limit = MaxCountFactor * a + CountSlack;
        return new($"{name}: mean of the last window against the first", $"{Report.Num(a, "0")} → {Report.Num(b, "0")}",
            $"≤ {MaxCountFactor:0.00} × first + {CountSlack} ({Report.Num(limit, "0")})", b <= limit);
    }

    private static double Mean(List<SoakSample> samples, Func<SoakSample, double> value) =>
        samples.Count == 0 ? double.NaN : samples.Average(value);

    // Least-squares slope of RSS (MiB) against time (hours).
    private static double Slope(List<SoakSample> samples)
    {
        if (samples.Count < 2) return double.NaN;
        var mx = samples.Average(s => s.At.TotalHours);
        var my = samples.Average(s => s.Process.RssMiB);
        var sxx = samples.Sum(s => (s.At.TotalHours - mx) * (s.At.TotalHours - mx));
        var sxy = samples.Sum(s => (s.At.TotalHours - mx) * (s.Process.RssMiB - my));
        return sxx == 0 ? double.NaN : sxy / sxx;
    }
}
