using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Bench.Figures;

/// <summary>
/// One figure of a run over its rounds: ours, the baseline and their ratio (each round's ours / baseline), or for a
/// figure without baseline ours alone.
/// </summary>
/// <param name="Item">Benchmark item (1–6, E, …).</param>
/// <param name="Measure">What is measured (the key, with <see cref="Item"/>, that a comparison matches on).</param>
/// <param name="Unit">Unit of ours and the baseline (" ms", " req/s", …).</param>
/// <param name="Ours">Our figure over the rounds; null when no round produced one.</param>
/// <param name="Baseline">The baseline over the rounds; null without a baseline.</param>
/// <param name="Ratio">Ours / baseline over the rounds (one ratio per round); null without a baseline.</param>
/// <param name="Target">The target as text ("≥ 0.8", "—").</param>
/// <param name="Met">"yes", "no" or "—", judged on the median.</param>
public sealed record Figure(string Item, string Measure, string Unit, Spread? Ours, Spread? Baseline, Spread? Ratio, string Target, string Met)
{
    /// <summary>The spread a comparison uses: the ratio when there is a baseline, else ours.</summary>
    [JsonIgnore]
    public Spread? Compared => Ratio ?? Ours;
}

/// <summary>The 1-minute load average before and after an item (from /proc/loadavg), and the item's wall time in
/// seconds, all rounds included (absent from runs recorded before it was).</summary>
public sealed record ItemLoad(string Item, double? Before, double? After, double? Seconds = null);

/// <summary>The figures of a run as written beside docs/benchmarks.md (JSON), read back by <c>--compare</c>.</summary>
/// <param name="Date">Start of the run (UTC).</param>
/// <param name="Rounds">Rounds of every repeated item.</param>
/// <param name="Loads">Load average around each item.</param>
/// <param name="Figures">The figures.</param>
/// <param name="Machine">The machine line of the run, with its process start time; null in files of older runs.</param>
public sealed record FigureSet(string Date, int Rounds, IReadOnlyList<ItemLoad> Loads, IReadOnlyList<Figure> Figures, string? Machine = null)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The set as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a set written by <see cref="ToJson"/>.</summary>
    public static FigureSet FromJson(string json) =>
        JsonSerializer.Deserialize<FigureSet>(json, Options) ?? throw new InvalidDataException("the figures file is empty");
}
