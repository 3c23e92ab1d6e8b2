using System.Globalization;

namespace Firecrest.Bench;

/// <summary>Command-line options.</summary>
public sealed record BenchOptions(string? OutPath, bool Quick, string? ServerPath, IReadOnlySet<string>? Only = null)
{
    /// <summary>Items a run without <c>--only</c> leaves out (the soak takes half an hour and runs on its own).</summary>
    public static readonly IReadOnlySet<string> OptIn = new HashSet<string>(["soak"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Length of the soak run (<c>--soak-minutes</c>).</summary>
    public double SoakMinutes { get; init; } = 30;

    /// <summary>Concurrent closed-loop clients of the soak run (<c>--soak-clients</c>).</summary>
    public int SoakClients { get; init; } = 100;

    /// <summary>Think time of a soak client after each operation, uniform in [min, max] ms (<c>--soak-think-ms MIN-MAX</c>).</summary>
    public (int MinMs, int MaxMs) SoakThinkMs { get; init; } = (100, 500);

    /// <summary>Start of the soak left out of the memory judgement, in minutes (<c>--soak-warmup-minutes</c>, default 2; at most a fifth of the run is used).</summary>
    public double SoakWarmupMinutes { get; init; } = 2;

    /// <summary>Where the soak report is written as Markdown (<c>--soak-out</c>); printed only when null.</summary>
    public string? SoakOutPath { get; init; }

    /// <summary>Rounds of every repeated item (<c>--rounds N</c>, default 3, 1 with <c>--quick</c>).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Where the figures are written as JSON (<c>--json FILE</c>); without it, beside <see cref="OutPath"/>.</summary>
    public string? JsonPath { get; init; }

    /// <summary>
    /// Environment variables set on the benchmarked server after the bench's own (<c>--server-env NAME=VALUE</c>, repeatable):
    /// to A/B a runtime setting (a GC budget, a JIT switch) on the same build. Named in the report.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Figures JSON of an earlier run to compare with (<c>--compare FILE</c>).</summary>
    public string? ComparePath { get; init; }

    /// <summary>The JSON file of this run's figures: <c>--json</c>, else the Markdown's path with .json; null for neither.</summary>
    public string? FiguresPath => JsonPath ?? (OutPath is null ? null : Path.ChangeExtension(OutPath, ".json"));

    /// <summary>
    /// Parses <c>--out FILE</c>, <c>--json FILE</c>, <c>--compare OLD.json</c>, <c>--rounds N</c>, <c>--quick</c>, <c>--server FILE</c>, <c>--server-env NAME=VALUE</c>, <c>--only 1,2,5</c>,
    /// <c>--soak-minutes N</c>, <c>--soak-warmup-minutes N</c>, <c>--soak-clients N</c>, <c>--soak-think-ms MIN-MAX</c>, <c>--soak-out FILE</c>.
    /// </summary>
    public static BenchOptions Parse(string[] args)
    {
        string? outPath = null, dll = null, soakOut = null, json = null, compare = null;
        var quick = false;
        int? rounds = null;
        double soakMinutes = 30, soakWarmup = 2;
        var soakClients = 100;
        var think = (100, 500);
        HashSet<string>? only = null;
        var serverEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
                case "--server" when i + 1 < args.Length: dll = args[++i]; break;
                case "--server-env" when i + 1 < args.Length:
                    var assignment = args[++i];
                    var eq = assignment.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--server-env '{assignment}' is not NAME=VALUE");
                    serverEnv[assignment[..eq]] = assignment[(eq + 1)..];
                    break;
                case "--quick": quick = true; break;
                case "--only" when i + 1 < args.Length:
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    break;
                case "--soak-minutes" when i + 1 < args.Length:
                    soakMinutes = double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m >= 1
                        ? m : throw new ArgumentException($"--soak-minutes '{args[i]}' is not a number ≥ 1");
                    break;
                case "--soak-warmup-minutes" when i + 1 < args.Length:
                    soakWarmup = double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var wm) && wm >= 0
                        ? wm : throw new ArgumentException($"--soak-warmup-minutes '{args[i]}' is not a number ≥ 0");
                    break;
                case "--soak-clients" when i + 1 < args.Length:
                    soakClients = int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 1
                        ? c : throw new ArgumentException($"--soak-clients '{args[i]}' is not a positive number");
                    break;
                case "--soak-think-ms" when i + 1 < args.Length:
                    var range = args[++i].Split('-');
                    think = range.Length == 2 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
                        && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi) && lo <= hi
                        ? (lo, hi) : throw new ArgumentException($"--soak-think-ms '{args[i]}' is not MIN-MAX in milliseconds (e.g. 100-500)");
                    break;
                case "--soak-out" when i + 1 < args.Length: soakOut = args[++i]; break;
                case "--json" when i + 1 < args.Length: json = args[++i]; break;
                case "--compare" when i + 1 < args.Length: compare = args[++i]; break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 9
                        ? r : throw new ArgumentException($"--rounds '{args[i]}' is not a number from 1 to 9");
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}' (use --out FILE, --json FILE, --compare OLD.json, --rounds N, --quick, --server FILE, --server-env NAME=VALUE, --only ITEMS, --soak-minutes N, --soak-warmup-minutes N, --soak-clients N, --soak-think-ms MIN-MAX, --soak-out FILE)");
            }
        }
        return new BenchOptions(outPath, quick, dll, only)
        {
            SoakMinutes = soakMinutes, SoakWarmupMinutes = soakWarmup, SoakClients = soakClients, SoakThinkMs = think, SoakOutPath = soakOut,
            Rounds = rounds ?? (quick ? 1 : 3), JsonPath = json, ComparePath = compare, ServerEnvironment = serverEnv,
        };
    }

    /// <summary>Full duration, or a short one with <c>--quick</c>.</summary>
    public TimeSpan Pick(TimeSpan full, TimeSpan quick) => Quick ? quick : full;

    /// <summary>Full count, or a small one with <c>--quick</c>.</summary>
    public int Pick(int full, int quick) => Quick ? quick : full;

    /// <summary>
    /// True when the item runs in this invocation: with <c>--only</c> the items it names, without it every item except
    /// the opt-in ones (<see cref="OptIn"/>).
    /// </summary>
    public bool Runs(string item) => Only?.Contains(item) ?? !OptIn.Contains(item);

    /// <summary>True for a run of a subset of the items (<c>--only</c>): such a run never writes docs/benchmarks.md.</summary>
    public bool Partial => Only is not null;

    /// <summary>Extra time the whole run may take for the soak item (its length plus set-up and clean-up).</summary>
    public TimeSpan SoakBudget => Runs("soak") ? TimeSpan.FromMinutes(SoakMinutes + 10) : TimeSpan.Zero;
}
