using System.Globalization;
using System.Text;

namespace Firecrest.Bench;

/// <summary>One figure beside its baseline measured in the same run.</summary>
/// <param name="Item">Benchmark item (1–6, E for the engine-level one).</param>
/// <param name="Measure">What is measured.</param>
/// <param name="Ours">Our figure (text with unit).</param>
/// <param name="Baseline">The baseline's figure, or "—".</param>
/// <param name="Ratio">Ours relative to the baseline, or "—".</param>
/// <param name="Target">The target, or "—".</param>
/// <param name="Met">"yes", "no" or "—".</param>
public sealed record Row(string Item, string Measure, string Ours, string Baseline, string Ratio, string Target, string Met);

/// <summary>The table, the notes and the machine facts; printed and written as Markdown.</summary>
public sealed class Report
{
    private const string ItemOrder = "12E3456";
    private readonly List<Row> _rows = [];
    private readonly List<(string Item, string Text)> _notes = [];

    /// <summary>Machine and run facts (name → value).</summary>
    public List<(string Name, string Value)> Facts { get; } = [];

    /// <summary>Adds a row.</summary>
    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  [{row.Item}] {row.Measure}: ours {row.Ours} | baseline {row.Baseline} | ratio {row.Ratio} | target {row.Target} | met {row.Met}");
    }

    /// <summary>Adds a note about an item.</summary>
    public void Note(string item, string text)
    {
        _notes.Add((item, text));
        Console.WriteLine($"  [{item}] note: {text}");
    }

    /// <summary>A row where higher is better (throughput): ratio = ours / baseline, met when ≥ <paramref name="atLeast"/>.</summary>
    public void Higher(string item, string measure, double ours, double baseline, string unit, double? atLeast, string format = "0.0")
    {
        var ratio = ours / baseline;
        Add(new Row(item, measure, Num(ours, format) + unit, Num(baseline, format) + unit, Num(ratio, "0.00"),
            atLeast is { } t ? "≥ " + Num(t, "0.0#") : "—", Verdict(atLeast is { } a ? ratio >= a : null, ratio)));
    }

    /// <summary>A row where lower is better (latency, time): ratio = ours / baseline, met when ≤ <paramref name="atMost"/>.</summary>
    public void Lower(string item, string measure, double ours, double baseline, string unit, double? atMost, string format = "0.0")
    {
        var ratio = ours / baseline;
        Add(new Row(item, measure, Num(ours, format) + unit, Num(baseline, format) + unit, Num(ratio, "0.00"),
            atMost is { } t ? "≤ " + Num(t, "0.0#") : "—", Verdict(atMost is { } a ? ratio <= a : null, ratio)));
    }

    /// <summary>A row with no baseline; met when <paramref name="met"/> says so.</summary>
    public void Single(string item, string measure, string ours, string target, bool? met) =>
        Add(new Row(item, measure, ours, "—", "—", target, met is null ? "—" : met.Value ? "yes" : "no"));

    /// <summary>A row whose figure could not be taken, with the reason in a note.</summary>
    public void Missing(string item, string measure, string baseline, string target, string reason)
    {
        Add(new Row(item, measure, "missing", baseline, "—", target, "—"));
        Note(item, $"{measure}: missing — {reason}");
    }

    /// <summary>Formats a number (invariant culture).</summary>
    public static string Num(double v, string format = "0.0") =>
        double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown(string title, IEnumerable<string> preamble, IEnumerable<string> epilogue)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(title).AppendLine();
        foreach (var p in preamble) sb.AppendLine(p);
        sb.AppendLine().AppendLine("## Run").AppendLine();
        foreach (var (name, value) in Facts) sb.Append("* **").Append(name).Append(":** ").AppendLine(value);
        sb.AppendLine().AppendLine("## Figures").AppendLine();
        sb.AppendLine("Ratio = ours / baseline, both measured in this run on this machine.").AppendLine();
        sb.AppendLine("| # | Measure | Ours | Baseline (same run) | Ratio | Target | Met |");
        sb.AppendLine("|---|---|---:|---:|---:|---|---|");
        foreach (var r in _rows.OrderBy(r => ItemOrder.IndexOf(r.Item, StringComparison.Ordinal)))
            sb.AppendLine($"| {r.Item} | {Cell(r.Measure)} | {Cell(r.Ours)} | {Cell(r.Baseline)} | {r.Ratio} | {r.Target} | {r.Met} |");
        sb.AppendLine().AppendLine("## Notes").AppendLine();
        foreach (var (item, text) in _notes.OrderBy(n => ItemOrder.IndexOf(n.Item, StringComparison.Ordinal))) sb.Append("* **").Append(item).Append(":** ").AppendLine(text);
        sb.AppendLine();
        foreach (var e in epilogue) sb.AppendLine(e);
        return sb.ToString();
    }

    private static string Verdict(bool? met, double ratio) =>
        met is null || double.IsNaN(ratio) ? "—" : met.Value ? "yes" : "no";

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
