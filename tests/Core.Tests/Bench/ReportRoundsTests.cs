using Firecrest.Bench;
using Firecrest.Bench.Figures;

namespace Firecrest.Core.Tests.Bench;

/// <summary>The benchmark report over several rounds of the same items.</summary>
public class ReportRoundsTests
{
    private static string Markdown(Report r) => r.ToMarkdown("T", [], []);

    private static string TableRow(string markdown, string measure) =>
        markdown.Split('\n').Single(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains($" {measure} |", StringComparison.Ordinal));

    [Fact]
    public void Rounds_of_one_measure_become_one_row_with_median_and_range_and_met_is_judged_on_the_median_ratio()
    {
        var r = new Report();
        foreach (var (ours, baseline) in new[] { (120.0, 100.0), (140.0, 100.0), (125.0, 100.0) })
        {
            r.Round++;
            r.Lower("2", "ls p50", ours, baseline, " ms", 1.3);
        }

        var row = TableRow(Markdown(r), "ls p50");
        Assert.Equal("| 2 | ls p50 | 125.0 ms (120.0–140.0) | 100.0 ms | 1.25 (1.20–1.40) | ≤ 1.3 | yes |", row.TrimEnd('\r'));
        var figure = Assert.Single(r.Figures());
        Assert.Equal((1.25, 1.2, 1.4, 3), (figure.Ratio!.Median, figure.Ratio.Min, figure.Ratio.Max, figure.Ratio.Count));
    }

    [Fact]
    public void A_median_beyond_the_target_is_not_met_even_when_one_round_met_it()
    {
        var r = new Report();
        foreach (var ours in new[] { 70.0, 75.0, 95.0 }) r.Higher("3", "op/s", ours, 100, " op/s", 0.8);
        Assert.EndsWith("| ≥ 0.8 | no |", TableRow(Markdown(r), "op/s").TrimEnd('\r'));
    }

    [Fact]
    public void Numeric_figures_without_baseline_take_the_median_and_text_figures_list_differing_rounds()
    {
        var r = new Report();
        foreach (var v in new[] { 900.0, 500.0, 550.0 }) r.Single("6", "cold", v, " ms", "0", "≤ 600 ms", m => m <= 600);
        r.Single("1", "errors", "0 / 0", "0", true);
        r.Single("1", "errors", "2 / 0", "0", false);
        var md = Markdown(r);

        Assert.Equal("| 6 | cold | 550 ms (500–900) | — | — | ≤ 600 ms | yes |", TableRow(md, "cold").TrimEnd('\r'));
        Assert.Equal("| 1 | errors | 0 / 0 · 2 / 0 | — | — | 0 | no |", TableRow(md, "errors").TrimEnd('\r'));
    }

    [Fact]
    public void Notes_of_the_last_round_stand_for_the_item_and_a_missing_round_is_counted()
    {
        var r = new Report { Round = 1 };
        r.Lower("4", "submit", 80, 50, " ms", null);
        r.Note("4", "samples of round one");
        r.Round = 2;
        r.Missing("4", "submit", "—", "—", "timeout");
        r.Round = 3;
        r.Lower("4", "submit", 100, 50, " ms", null);
        r.Note("4", "samples of round three");
        var md = Markdown(r);

        Assert.DoesNotContain("samples of round one", md);
        Assert.Contains("(round 3) samples of round three", md);
        Assert.Contains("submit: missing — timeout", md);
        Assert.Contains("| 4 | submit | 90.0 ms (80.0–100.0) (2 of 3 rounds) |", md);
    }

    [Fact]
    public void Loads_per_item_are_listed()
    {
        var r = new Report();
        r.Load("2", 1.5, 2.25, TimeSpan.FromSeconds(61.26));
        Assert.Contains("| 2 | 1.50 | 2.25 | 61 s |", Markdown(r));
        var load = Assert.Single(FigureSet.FromJson(r.ToFigureSet("d", 3, null).ToJson()).Loads);
        Assert.Equal((2.25, 61.3), (load.After, load.Seconds));
    }

    [Fact]
    public void Comparison_names_the_earlier_run_and_its_machine_and_the_machine_survives_json()
    {
        var r = new Report();
        r.Load("2", 1.5, 2.25, TimeSpan.FromSeconds(10));
        var now = r.ToFigureSet("2026-12-05 08:36", 3, "AMD EPYC, 2 logical cores; starting a process (/bin/true) takes 4.0 ms (median of 50)");
        var earlier = FigureSet.FromJson(now.ToJson()) with { Date = "2026-12-04 19:07" };
        Assert.Equal(now.Machine, earlier.Machine);
        r.Comparison = ("old.json", earlier, FigureComparison.Compare(earlier, now));
        Assert.Contains("The earlier run: 2026-12-04 19:07 UTC, AMD EPYC, 2 logical cores; starting a process (/bin/true) takes 4.0 ms (median of 50).", Markdown(r));
        r.Comparison = ("old.json", FigureSet.FromJson("""{"date":"2026-12-01 10:00","rounds":3,"loads":[],"figures":[]}"""), []);
        Assert.Contains("The earlier run: 2026-12-01 10:00 UTC, machine not recorded.", Markdown(r));
    }
}
