namespace Firecrest.Bench.Figures;

/// <summary>How one figure moved between an earlier run and this one.</summary>
/// <param name="Item">Benchmark item.</param>
/// <param name="Measure">The figure.</param>
/// <param name="Old">The earlier run's spread (ratio, or ours without baseline).</param>
/// <param name="New">This run's spread.</param>
/// <param name="Flagged">True when the medians differ by more than the wider of the two spreads (max − min).</param>
public sealed record FigureChange(string Item, string Measure, Spread Old, Spread New, bool Flagged)
{
    /// <summary>New median − old median.</summary>
    public double Delta => New.Median - Old.Median;

    /// <summary>The change of the medians, relative to the old median (NaN when that is 0).</summary>
    public double Relative => Old.Median == 0 ? double.NaN : Delta / Old.Median;
}

/// <summary>Compares the figures of two runs (<c>--compare old.json</c>).</summary>
public static class FigureComparison
{
    /// <summary>
    /// One change per figure both runs have (matched on item and measure; ratio when both have a baseline, else ours).
    /// A change is flagged when the medians differ by more than the wider of the two runs' spreads: within the spread
    /// the rounds of one run already disagree that much, so the move cannot be told from noise.
    /// </summary>
    public static IReadOnlyList<FigureChange> Compare(FigureSet old, FigureSet current)
    {
        var before = new Dictionary<(string, string), Figure>();
        foreach (var f in old.Figures) before[(f.Item, f.Measure)] = f;
        var changes = new List<FigureChange>();
        foreach (var f in current.Figures)
        {
            if (!before.TryGetValue((f.Item, f.Measure), out var o)) continue;
            var (a, b) = o.Ratio is not null && f.Ratio is not null ? (o.Ratio, f.Ratio)
                : o.Ratio is null && f.Ratio is null ? (o.Ours, f.Ours) : (null, null);
            if (a is null || b is null) continue;
            var flagged = Math.Abs(b.Median - a.Median) > Math.Max(a.Width, b.Width);
            changes.Add(new FigureChange(f.Item, f.Measure, a, b, flagged));
        }
        return changes;
    }
}
