namespace Firecrest.Bench.Soaking;

/// <summary>One criterion of the soak verdict.</summary>
/// <param name="Criterion">What is judged.</param>
/// <param name="Measured">The figure.</param>
/// <param name="Threshold">The limit it is judged against.</param>
/// <param name="Met">Whether the figure is within the limit.</param>
/// <param name="Informative">Why the row is shown but not judged, or null for a verdict criterion.</param>
public sealed record SoakCriterion(string Criterion, string Measured, string Threshold, bool Met, string? Informative = null);

/// <summary>
/// Judges a soak from its samples. Memory: the live managed heap (what survives the full blocking collections the
/// benchmark induces) must not grow between the first and last window after warm-up nor by its least-squares slope, and
/// RSS must not set a new peak in the second half above the first half's VmHWM by more than 10 %; gen 2 + LOH from the
/// counters and the RSS means, slope and spread are shown but informative. Without live-heap points the retained heap
/// from the counters judges; without counters, RSS.
/// Descriptors and threads must not grow, and there must be no errors.
/// </summary>
public sealed class SoakVerdict
{
    /// <summary>Largest allowed growth, first window to last, and projected by the slope: this share of the first window's mean.</summary>
    public const double MaxGrowthShare = 0.10;

    /// <summary>Absolute slack on the retained managed heap's growth (MiB): a small heap's 10 % is within a GC's noise.</summary>
    public const double HeapSlackMiB = 2;

    /// <summary>Largest allowed max − min of RSS over the last half, as a share of the first window's mean (RSS-only verdict).</summary>
    public const double MaxSpreadShare = 0.25;

    /// <summary>RSS in the second half may exceed the first half's VmHWM by at most this share.</summary>
    public const double MaxNewPeakShare = 0.10;

    /// <summary>Descriptors and threads: the last window's mean may be at most this factor of the first window's, plus <see cref="CountSlack"/>.</summary>
    public const double MaxCountFactor = 1.25;

    /// <summary>Absolute slack on descriptor and thread counts.</summary>
    public const int CountSlack = 5;

    /// <summary>Why the counters' retained-heap rows are only informative when the live heap is measured.</summary>
    public const string RetainedInformative = "informative: gen 2 also holds objects that died after their promotion until a full collection runs; the live-heap rows judge";

    /// <summary>Why the RSS rows are only informative when the GC heap is measured.</summary>
    public const string RssInformative = "informative: the GC grows its committed budget under load; a leak shows in the live heap";

    private SoakVerdict(TimeSpan warmup, TimeSpan window, IReadOnlyList<SoakCriterion> criteria, string memoryBasis)
    {
        Warmup = warmup;
        Window = window;
        Criteria = criteria;
        MemoryBasis = memoryBasis;
    }

    /// <summary>Start of the run left out of the memory judgement.</summary>
    public TimeSpan Warmup { get; }

    /// <summary>Length of the first and last comparison windows.</summary>
    public TimeSpan Window { get; }

    /// <summary>The criteria, each met or not (informative ones included).</summary>
    public IReadOnlyList<SoakCriterion> Criteria { get; }

    /// <summary>What the memory verdict was judged on, in one sentence.</summary>
    public string MemoryBasis { get; }

    /// <summary>The criteria that decide the verdict.</summary>
    public IEnumerable<SoakCriterion> Judged => Criteria.Where(c => c.Informative is null);

    /// <summary>True when every verdict criterion is met.</summary>
    public bool Passed => Judged.All(c => c.Met);

    /// <summary>Warm-up: <paramref name="requested"/> (default 2 minutes), at most a fifth of the run.</summary>
    public static TimeSpan WarmupOf(TimeSpan duration, TimeSpan requested) => TimeSpan.FromTicks(Math.Min(requested.Ticks, duration.Ticks / 5));

    /// <summary>
    /// Judges <paramref name="samples"/> and the <paramref name="fullGcs"/> of a run of <paramref name="duration"/> with
    /// <paramref name="errors"/> errors; <paramref name="gcFailure"/> says why there are no GC counters (RSS judges then).
    /// </summary>
    public static SoakVerdict Judge(IReadOnlyList<SoakSample> samples, IReadOnlyList<FullGcPoint> fullGcs, IReadOnlyList<LiveHeapPoint> liveHeap,
        string? gcFailure, TimeSpan duration, TimeSpan requestedWarmup, long errors)
    {
        var warmup = WarmupOf(duration, requestedWarmup);
        var window = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, (duration - warmup).Ticks / 3));
        var mid = warmup + (duration - warmup) / 2;
        var post = samples.Where(s => s.At > warmup).ToList();
        var first = post.Where(s => s.At <= warmup + window).ToList();
        var last = post.Where(s => s.At >= duration - window).ToList();
        var lastHalf = post.Where(s => s.At >= mid).ToList();
        var span = duration - warmup;
        string Min(TimeSpan t) => $"{t.TotalMinutes:0.#} min";
        string MiB(double v) => Report.Num(v, "0.0") + " MiB";

        var gcFirst = first.Where(s => s.Gc is not null).ToList();
        var gcLast = last.Where(s => s.Gc is not null).ToList();
        var withGc = gcFailure is null && gcFirst.Count > 0 && gcLast.Count > 0;
        var rssNote = withGc ? RssInformative : null;
        var criteria = new List<SoakCriterion>();
        var livePost = liveHeap.Where(p => p.At > warmup).ToList();
        var liveFirst = livePost.Where(p => p.At <= warmup + window).ToList();
        var liveLast = livePost.Where(p => p.At >= duration - window).ToList();
        var withLive = gcFailure is null && liveFirst.Count >= 2 && liveLast.Count >= 2;
        var retainedNote = withLive ? RetainedInformative : null;

        if (withLive)
        {
            var a = liveFirst.Average(p => p.LiveMiB);
            var b = liveLast.Average(p => p.LiveMiB);
            var limit = MaxGrowthShare * a + HeapSlackMiB;
            var limitText = $"≤ {MaxGrowthShare:P0} of the first window + {HeapSlackMiB:0} MiB ({MiB(limit)})";
            var slope = Slope(livePost.Select(p => (p.At, p.LiveMiB)));
            criteria.Add(new($"Live managed heap (bytes that survive a full blocking collection; {livePost.Count} induced after warm-up): mean of the last {Min(window)} − mean of the first {Min(window)} ({Report.Num(a, "0.0")} → {Report.Num(b, "0.0")} MiB; min {Report.Num(livePost.Min(p => p.LiveMiB), "0.0")}, max {Report.Num(livePost.Max(p => p.LiveMiB), "0.0")} MiB)",
                MiB(b - a), limitText, b - a <= limit));
            criteria.Add(new($"Live managed heap, growth projected by the least-squares slope over the {Min(span)} after warm-up ({Report.Num(slope, "0.0")} MiB/h)",
                MiB(slope * span.TotalHours), limitText, slope * span.TotalHours <= limit));
        }

        if (withGc)
        {
            var a = gcFirst.Average(s => s.Gc!.RetainedMiB);
            var b = gcLast.Average(s => s.Gc!.RetainedMiB);
            var limit = MaxGrowthShare * a + HeapSlackMiB;
            var limitText = $"≤ {MaxGrowthShare:P0} of the first window + {HeapSlackMiB:0} MiB ({MiB(limit)})";
            var slope = Slope(post.Where(s => s.Gc is not null).Select(s => (s.At, s.Gc!.RetainedMiB)));
            criteria.Add(new($"Managed heap retained (gen 2 + LOH after the latest collection): mean of the last {Min(window)} − mean of the first {Min(window)} after warm-up ({Report.Num(a, "0.0")} → {Report.Num(b, "0.0")} MiB)",
                MiB(b - a), limitText, b - a <= limit, retainedNote));
            criteria.Add(new($"Managed heap retained, growth projected by the least-squares slope over the {Min(span)} after warm-up ({Report.Num(slope, "0.0")} MiB/h)",
                MiB(slope * span.TotalHours), limitText, slope * span.TotalHours <= limit, retainedNote));
            var full = fullGcs.Where(p => p.At > warmup).ToList();
            if (full.Count >= 3)
            {
                var fullSlope = Slope(full.Select(p => (p.At, p.RetainedMiB)));
                criteria.Add(new($"Gen 2 + LOH + POH right after each of the {full.Count} full (gen-2) collections after warm-up ({Report.Num(full[0].RetainedMiB, "0.0")} → {Report.Num(full[^1].RetainedMiB, "0.0")} MiB), growth projected by its least-squares slope ({Report.Num(fullSlope, "0.0")} MiB/h)",
                    MiB(fullSlope * span.TotalHours), limitText, fullSlope * span.TotalHours <= limit, retainedNote));
            }
            else
            {
                criteria.Add(new($"Gen 2 + LOH + POH right after full (gen-2) collections after warm-up", $"{full.Count} collection{(full.Count == 1 ? "" : "s")}", "at least 3 needed for a slope",
                    true, "informative: too few full collections to judge; the rows above judge the retained heap"));
            }
            var heapA = gcFirst.Average(s => s.Gc!.HeapMiB);
            var heapB = gcLast.Average(s => s.Gc!.HeapMiB);
            criteria.Add(new($"GC heap size (gc-heap-size, gen 0 included): mean of the last window against the first", $"{Report.Num(heapA, "0")} → {Report.Num(heapB, "0")} MiB", "—", true,
                "informative: swings with the gen-0 budget between collections"));
            var comA = gcFirst.Average(s => s.Gc!.CommittedMiB);
            var comB = gcLast.Average(s => s.Gc!.CommittedMiB);
            criteria.Add(new($"GC committed memory (gc-committed): mean of the last window against the first", $"{Report.Num(comA, "0")} → {Report.Num(comB, "0")} MiB", "—", true,
                "informative: the GC's budget, not live data"));
        }

        var firstRss = Mean(first, s => s.Process.RssMiB);
        var lastRss = Mean(last, s => s.Process.RssMiB);
        var rssSlope = Slope(post.Select(s => (s.At, s.Process.RssMiB)));
        var projected = rssSlope * span.TotalHours;
        var spread = lastHalf.Count == 0 ? double.NaN : lastHalf.Max(s => s.Process.RssMiB) - lastHalf.Min(s => s.Process.RssMiB);
        var growthLimit = MaxGrowthShare * firstRss;
        var spreadLimit = MaxSpreadShare * firstRss;
        var firstHalfHwm = samples.Where(s => s.At < mid).Select(s => s.Process.HwmMiB).DefaultIfEmpty(double.NaN).Max();
        var peakAfter = lastHalf.Select(s => s.Process.RssMiB).DefaultIfEmpty(double.NaN).Max();
        var peakLimit = (1 + MaxNewPeakShare) * firstHalfHwm;
        criteria.Add(new($"RSS peak in the second half against the first half's VmHWM ({Report.Num(firstHalfHwm, "0")} MiB)",
            MiB(peakAfter), $"≤ {1 + MaxNewPeakShare:0.00} × first-half VmHWM ({MiB(peakLimit)})", peakAfter <= peakLimit));
        criteria.Add(new($"RSS growth: mean of the last {Min(window)} − mean of the first {Min(window)} after warm-up ({Report.Num(firstRss, "0")} → {Report.Num(lastRss, "0")} MiB)",
            MiB(lastRss - firstRss), $"≤ {MaxGrowthShare:P0} of the first window ({MiB(growthLimit)})", lastRss - firstRss <= growthLimit, rssNote));
        criteria.Add(new($"RSS growth projected by the least-squares slope over the {Min(span)} after warm-up ({Report.Num(rssSlope, "0.0")} MiB/h)",
            MiB(projected), $"≤ {MaxGrowthShare:P0} of the first window ({MiB(growthLimit)})", projected <= growthLimit, rssNote));
        criteria.Add(new("RSS spread (max − min) over the last half of the post-warm-up period",
            MiB(spread), $"≤ {MaxSpreadShare:P0} of the first window ({MiB(spreadLimit)})", spread <= spreadLimit, rssNote));
        criteria.Add(Count("Open file descriptors", first, last, s => s.Process.Fds));
        criteria.Add(Count("Threads", first, last, s => s.Process.Threads));
        criteria.Add(new("Errors (whole run, warm-up included)", errors.ToString(), "0", errors == 0));

        var basis = withLive
            ? "Memory is judged on the live managed heap (what survives the full blocking collections the benchmark induces through the diagnostics port) and on RSS never setting a new peak; gen 2 + LOH from the counters and the RSS means, slope and spread are informative."
            : withGc
            ? "Memory is judged on the managed heap the server retains (gen 2 + LOH from its System.Runtime EventCounters, and gen 2 + LOH + POH after each full collection from its GC events) and on RSS never setting a new peak; the RSS means, slope and spread are informative."
            : $"Memory is judged on RSS only: no GC counters from the server ({gcFailure ?? "no counters arrived in the first or last window"}).";
        return new SoakVerdict(warmup, window, criteria, basis);
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

    // Least-squares slope of a value (MiB) against time (hours).
    private static double Slope(IEnumerable<(TimeSpan At, double MiB)> points)
    {
        var p = points.ToList();
        if (p.Count < 2) return double.NaN;
        var mx = p.Average(s => s.At.TotalHours);
        var my = p.Average(s => s.MiB);
        var sxx = p.Sum(s => (s.At.TotalHours - mx) * (s.At.TotalHours - mx));
        var sxy = p.Sum(s => (s.At.TotalHours - mx) * (s.MiB - my));
        return sxx == 0 ? double.NaN : sxy / sxx;
    }
}
