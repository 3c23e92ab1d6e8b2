using Firecrest.Bench.Figures;

namespace Firecrest.Core.Tests.Bench;

/// <summary>The benchmark's rounds: median with min–max, the JSON it writes and the comparison of two runs.</summary>
public class FigureSpreadTests
{
    [Fact]
    public void Odd_count_takes_the_middle_value_and_the_extremes()
    {
        var s = Spread.Of([0.9, 0.7, 1.3])!;
        Assert.Equal((0.9, 0.7, 1.3, 3), (s.Median, s.Min, s.Max, s.Count));
        Assert.Equal(0.6, s.Width, 12);
    }

    [Fact]
    public void Even_count_takes_the_mean_of_the_two_middle_values()
    {
        var s = Spread.Of([4, 1, 3, 2])!;
        Assert.Equal(2.5, s.Median);
        Assert.Equal((1, 4), (s.Min, s.Max));
    }

    [Fact]
    public void Values_that_are_not_finite_are_left_out_and_none_gives_null()
    {
        Assert.Equal(2, Spread.Of([double.NaN, 2, double.PositiveInfinity])!.Median);
        Assert.Null(Spread.Of([double.NaN]));
        Assert.Null(Spread.Of([]));
    }

    [Fact]
    public void Format_shows_the_range_only_when_rounds_differ()
    {
        Assert.Equal("1.10 ms (0.90–1.40)", Spread.Of([1.4, 0.9, 1.1])!.Format("0.00", " ms"));
        Assert.Equal("5 ms", Spread.Of([5, 5])!.Format("0", " ms"));
        Assert.Equal("5 ms", Spread.Of([5])!.Format("0", " ms"));
    }

    private static Figure Ratio(string measure, params double[] ratios) =>
        new("4", measure, " ms", Spread.Of(ratios), Spread.Of(ratios), Spread.Of(ratios), "—", "—");

    private static FigureSet Set(params Figure[] figures) => new("2026-12-03 19:00", 3, [new ItemLoad("4", 1.5, 2.25)], figures);

    [Fact]
    public void A_move_of_the_median_beyond_the_wider_spread_is_flagged()
    {
        var old = Set(Ratio("submit", 5.0, 4.6, 5.8));  // width 1.2
        var now = Set(Ratio("submit", 1.2, 1.1, 1.4));  // width 0.3; medians differ by 3.8
        var c = Assert.Single(FigureComparison.Compare(old, now));
        Assert.True(c.Flagged);
        Assert.Equal(1.2 - 5.0, c.Delta, 12);
        Assert.Equal((1.2 - 5.0) / 5.0, c.Relative, 12);
    }

    [Fact]
    public void A_move_within_the_spread_is_not_flagged()
    {
        var old = Set(Ratio("ls", 1.28, 1.0, 1.4));  // width 0.4
        var now = Set(Ratio("ls", 1.1, 1.05, 1.2));  // medians differ by 0.18
        Assert.False(Assert.Single(FigureComparison.Compare(old, now)).Flagged);
    }

    [Fact]
    public void The_new_runs_spread_counts_too()
    {
        var old = Set(Ratio("ls", 1.0));              // one round: width 0
        var now = Set(Ratio("ls", 1.3, 0.8, 1.5));    // width 0.7 > difference 0.3
        Assert.False(Assert.Single(FigureComparison.Compare(old, now)).Flagged);
    }

    [Fact]
    public void Figures_without_baseline_compare_ours_and_unmatched_or_mixed_figures_are_skipped()
    {
        var coldOld = new Figure("6", "cold", " ms", Spread.Of([1200, 1150, 1300]), null, null, "≤ 600 ms", "no");
        var coldNew = new Figure("6", "cold", " ms", Spread.Of([560, 540, 600]), null, null, "≤ 600 ms", "yes");
        var mixedOld = new Figure("1", "mixed", "", Spread.Of([1.0]), null, null, "—", "—");
        var changes = FigureComparison.Compare(Set(coldOld, mixedOld, Ratio("only-old", 1)), Set(coldNew, Ratio("mixed", 2), Ratio("only-new", 1)));
        var c = Assert.Single(changes);
        Assert.Equal(("6", "cold", 1200.0, 560.0), (c.Item, c.Measure, c.Old.Median, c.New.Median));
        Assert.True(c.Flagged);
    }

    [Fact]
    public void The_figures_file_reads_back_what_was_written()
    {
        var set = Set(Ratio("submit", 1.2, 1.1, 1.4), new Figure("3", "errors", "", null, null, null, "0", "yes"));
        var back = FigureSet.FromJson(set.ToJson());
        Assert.Equal(set.Date, back.Date);
        Assert.Equal(set.Rounds, back.Rounds);
        Assert.Equal(set.Loads, back.Loads);
        Assert.Equal(set.Figures, back.Figures);
        Assert.Contains("\"ratio\"", set.ToJson());
    }
}
