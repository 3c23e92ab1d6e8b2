using System.Globalization;
using System.Text;
using Firecrest.Bench.Figures;

namespace Firecrest.Bench;

/// <summary>One figure of one round beside its baseline measured in the same round (console and text rows).</summary>
/// <param name="Item">Benchmark item (1–6, E for the engine-level one).</param>
/// <param name="Measure">What is measured.</param>
/// <param name="Ours">Our figure (text with unit).</param>
/// <param name="Baseline">The baseline's figure, or "—".</param>
/// <param name="Ratio">Ours relative to the baseline, or "—".</param>
/// <param name="Target">The target, or "—".</param>
/// <param name="Met">"yes", "no" or "—".</param>
public sealed record Row(string Item, string Measure, string Ours, string Baseline, string Ratio, string Target, string Met);

/// <summary>
/// The table, the notes and the machine facts; printed and written as Markdown and JSON. An item may report the same
/// measure once per round: the table then gives the median of the rounds with their min–max.
/// </summary>
public sealed class Report
{
    private const string ItemOrder = "12E3456";
    private readonly List<Entry> _entries = [];
    private readonly List<(string Item, string Text, int Round)> _notes = [];
    private readonly List<ItemLoad> _loads = [];

    /// <summary>Machine and run facts (name → value).</summary>
    public List<(string Name, string Value)> Facts { get; } = [];

    /// <summary>Comparison with an earlier run (<c>--compare</c>), shown in the Markdown when set.</summary>
    public (string Path, FigureSet Earlier, IReadOnlyList<FigureChange> Changes)? Comparison { get; set; }

    /// <summary>Adds a text row (no numbers to take a median of: the rounds' values are listed).</summary>
    public void Add(Row row)
    {
        Print(row);
        var e = EntryFor(row.Item, row.Measure, "", "0.0", row.Target, null, null);
        e.OursText.Add(row.Ours);
        e.BaselineText.Add(row.Baseline);
        e.MetRounds.Add(row.Met switch { "yes" => true, "no" => false, _ => null });
    }

    /// <summary>Round (1-based) the items report for now; the Markdown keeps each item's notes of its last round only.</summary>
    public int Round { get; set; } = 1;

    /// <summary>Adds a note about an item.</summary>
    public void Note(string item, string text)
    {
        _notes.Add((item, text, Round));
        Console.WriteLine($"  [{item}] note: {text}");
    }

    /// <summary>The 1-minute load average before and after an item ran, and how long it took.</summary>
    public void Load(string item, double? before, double? after, TimeSpan took)
    {
        _loads.Add(new ItemLoad(item, before, after, Math.Round(took.TotalSeconds, 1)));
        Console.WriteLine($"  [{item}] load average (1 min) {Num(before ?? double.NaN, "0.00")} → {Num(after ?? double.NaN, "0.00")}");
    }

    /// <summary>A row where higher is better (throughput): ratio = ours / baseline, met when the median ratio ≥ <paramref name="atLeast"/>.</summary>
    public void Higher(string item, string measure, double ours, double baseline, string unit, double? atLeast, string format = "0.0") =>
        Ratio(item, measure, ours, baseline, unit, format, atLeast is { } t ? "≥ " + Num(t, "0.0#") : "—", atLeast is { } a ? r => r >= a : null);

    /// <summary>A row where lower is better (latency, time): ratio = ours / baseline, met when the median ratio ≤ <paramref name="atMost"/>.</summary>
    public void Lower(string item, string measure, double ours, double baseline, string unit, double? atMost, string format = "0.0") =>
        Ratio(item, measure, ours, baseline, unit, format, atMost is { } t ? "≤ " + Num(t, "0.0#") : "—", atMost is { } a ? r => r <= a : null);

    private void Ratio(string item, string measure, double ours, double baseline, string unit, string format, string target, Func<double, bool>? met)
    {
        var ratio = ours / baseline;
        Print(new Row(item, measure, Num(ours, format) + unit, Num(baseline, format) + unit, Num(ratio, "0.00"), target,
            Verdict(met is null || !double.IsFinite(ratio) ? null : met(ratio))));
        var e = EntryFor(item, measure, unit, format, target, met, null);
        e.Ours.Add(ours);
        e.Baseline.Add(baseline);
        e.Ratios.Add(ratio);
    }

    /// <summary>A row with no baseline, as text; met when <paramref name="met"/> says so in every round.</summary>
    public void Single(string item, string measure, string ours, string target, bool? met) =>
        Add(new Row(item, measure, ours, "—", "—", target, Verdict(met)));

    /// <summary>A numeric row with no baseline (median over the rounds); met when <paramref name="met"/> holds for the median.</summary>
    public void Single(string item, string measure, double ours, string unit, string format, string target, Func<double, bool>? met)
    {
        Print(new Row(item, measure, Num(ours, format) + unit, "—", "—", target, Verdict(met is null || !double.IsFinite(ours) ? null : met(ours))));
        EntryFor(item, measure, unit, format, target, null, met).Ours.Add(ours);
    }

    /// <summary>A row whose figure could not be taken (in this round), with the reason in a note.</summary>
    public void Missing(string item, string measure, string baseline, string target, string reason)
    {
        Print(new Row(item, measure, "missing", baseline, "—", target, "—"));
        EntryFor(item, measure, "", "0.0", target, null, null).MissingRounds++;
        Note(item, $"{measure}: missing — {reason}");
    }

    /// <summary>Formats a number (invariant culture).</summary>
    public static string Num(double v, string format = "0.0") =>
        double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Every figure with its spread over the rounds (written as JSON beside the Markdown).</summary>
    public IReadOnlyList<Figure> Figures() => Ordered().Select(e => e.ToFigure()).ToList();

    /// <summary>The figures and per-item loads as the JSON document <c>--compare</c> reads.</summary>
    public FigureSet ToFigureSet(string date, int rounds, string? machine) => new(date, rounds, _loads.ToList(), Figures(), machine);

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown(string title, IEnumerable<string> preamble, IEnumerable<string> epilogue)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(title).AppendLine();
        foreach (var p in preamble) sb.AppendLine(p);
        sb.AppendLine().AppendLine("## Run").AppendLine();
        foreach (var (name, value) in Facts) sb.Append("* **").Append(name).Append(":** ").AppendLine(value);
        sb.AppendLine().AppendLine("## Figures").AppendLine();
        sb.AppendLine("Ratio = ours / baseline, both measured in the same round on this machine (baseline and ours interleaved inside each round). " +
            "With several rounds each cell is the median of the rounds followed by (min–max); the ratio's median is the median of the per-round ratios, and Met is judged on it.").AppendLine();
        sb.AppendLine("| # | Measure | Ours | Baseline (same run) | Ratio | Target | Met |");
        sb.AppendLine("|---|---|---:|---:|---:|---|---|");
        foreach (var e in Ordered())
            sb.AppendLine($"| {e.Item} | {Cell(e.Measure)} | {Cell(e.OursCell())} | {Cell(e.BaselineCell())} | {e.RatioCell()} | {e.Target} | {e.Met()} |");
        if (_loads.Count > 0)
        {
            sb.AppendLine().AppendLine("## Machine load and time per item").AppendLine();
            sb.AppendLine("1-minute load average (/proc/loadavg) just before and just after each item, and the item's wall time, all its rounds included; on 2 cores a load above 2 means queued work besides the benchmark.").AppendLine();
            sb.AppendLine("| # | Load before | Load after | Took |").AppendLine("|---|---:|---:|---:|");
            foreach (var l in _loads.OrderBy(l => Order(l.Item)))
                sb.AppendLine($"| {l.Item} | {Num(l.Before ?? double.NaN, "0.00")} | {Num(l.After ?? double.NaN, "0.00")} | {(l.Seconds is { } s ? Num(s, "0") + " s" : "—")} |");
        }
        if (Comparison is { } cmp)
        {
            sb.AppendLine().AppendLine($"## Compared with {cmp.Path}").AppendLine();
            sb.AppendLine("Ratio (or ours, without baseline) of the earlier run against this one; **changed** when the medians differ by more than the wider of the two min–max spreads.");
            sb.AppendLine($"The earlier run: {cmp.Earlier.Date} UTC, {cmp.Earlier.Machine ?? "machine not recorded"}. Across machines, ratios compare better than figures without a baseline, which move with the machine.").AppendLine();
            sb.AppendLine("| # | Measure | Before | Now | Change | |").AppendLine("|---|---|---:|---:|---:|---|");
            foreach (var c in cmp.Changes)
                sb.AppendLine($"| {c.Item} | {Cell(c.Measure)} | {c.Old.Format("0.00")} | {c.New.Format("0.00")} | {Num(c.Relative * 100, "+0;-0;0")} % | {(c.Flagged ? "**changed**" : "within spread")} |");
        }
        sb.AppendLine().AppendLine("## Notes").AppendLine();
        foreach (var (item, text, round) in LastRoundNotes())
            sb.Append("* **").Append(item).Append(":** ").Append(round > 1 ? $"(round {round}) " : "").AppendLine(text);
        sb.AppendLine();
        foreach (var e in epilogue) sb.AppendLine(e);
        return sb.ToString();
    }

    // The method notes repeat in every round with that round's samples: the last round's stand for all; notes of a
    // missing figure stay whatever the round.
    private IEnumerable<(string Item, string Text, int Round)> LastRoundNotes()
    {
        var last = _notes.GroupBy(n => n.Item).ToDictionary(g => g.Key, g => g.Max(n => n.Round));
        return _notes.Where(n => n.Round == last[n.Item] || n.Text.Contains(": missing — ", StringComparison.Ordinal)).OrderBy(n => Order(n.Item));
    }

    private IEnumerable<Entry> Ordered() => _entries.OrderBy(e => Order(e.Item));

    private static int Order(string item)
    {
        var i = ItemOrder.IndexOf(item, StringComparison.Ordinal);
        return item.Length == 1 && i >= 0 ? i : ItemOrder.Length;
    }

    private Entry EntryFor(string item, string measure, string unit, string format, string target, Func<double, bool>? ratioMet, Func<double, bool>? oursMet)
    {
        var e = _entries.FirstOrDefault(x => x.Item == item && x.Measure == measure);
        if (e is null)
        {
            e = new Entry(item, measure) { Unit = unit, Format = format, Target = target };
            _entries.Add(e);
        }
        e.RatioMet ??= ratioMet;
        e.OursMet ??= oursMet;
        if (e.Unit.Length == 0) e.Unit = unit;
        return e;
    }

    private static void Print(Row row) =>
        Console.WriteLine($"  [{row.Item}] {row.Measure}: ours {row.Ours} | baseline {row.Baseline} | ratio {row.Ratio} | target {row.Target} | met {row.Met}");

    private static string Verdict(bool? met) => met is null ? "—" : met.Value ? "yes" : "no";

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Everything the rounds reported for one measure.</summary>
    private sealed class Entry(string item, string measure)
    {
        public string Item { get; } = item;
        public string Measure { get; } = measure;
        public string Unit { get; set; } = "";
        public string Format { get; init; } = "0.0";
        public string Target { get; init; } = "—";
        public Func<double, bool>? RatioMet { get; set; }
        public Func<double, bool>? OursMet { get; set; }
        public List<double> Ours { get; } = [];
        public List<double> Baseline { get; } = [];
        public List<double> Ratios { get; } = [];
        public List<string> OursText { get; } = [];
        public List<string> BaselineText { get; } = [];
        public List<bool?> MetRounds { get; } = [];
        public int MissingRounds { get; set; }

        private int Rounds => Math.Max(Ours.Count, OursText.Count);

        public string OursCell() => Cells(Spread.Of(Ours), OursText) + MissingSuffix();

        public string BaselineCell() => Baseline.Count > 0 ? Cells(Spread.Of(Baseline), []) : Texts(BaselineText);

        public string RatioCell() => Spread.Of(Ratios) is { } r ? r.Format("0.00") : "—";

        public string Met()
        {
            if (Spread.Of(Ratios) is { } r) return RatioMet is null ? "—" : Verdict(RatioMet(r.Median));
            if (Spread.Of(Ours) is { } o) return OursMet is null ? "—" : Verdict(OursMet(o.Median));
            if (MetRounds.Count == 0 || MetRounds.All(m => m is null)) return "—";
            return MetRounds.Any(m => m == false) ? "no" : "yes";
        }

        public Figure ToFigure() =>
            new(Item, Measure, Unit, Spread.Of(Ours), Spread.Of(Baseline), Spread.Of(Ratios), Target, Met());

        private string Cells(Spread? spread, List<string> texts) =>
            spread is not null ? spread.Format(Format, Unit) : texts.Count > 0 ? Texts(texts) : "missing";

        // Text figures of several rounds: one value when they agree, else each round's in order.
        private static string Texts(List<string> texts) =>
            texts.Count == 0 ? "—" : texts.Distinct().Count() == 1 ? texts[0] : string.Join(" · ", texts);

        private string MissingSuffix() => MissingRounds > 0 && Rounds > 0 ? $" ({Rounds} of {Rounds + MissingRounds} rounds)" : "";
    }
}
