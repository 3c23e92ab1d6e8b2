namespace Firecrest.Bench;

/// <summary>Command-line options.</summary>
public sealed record BenchOptions(string? OutPath, bool Quick, string? ServerDll, IReadOnlySet<string>? Only = null)
{
    /// <summary>Parses <c>--out FILE</c>, <c>--quick</c>, <c>--server-dll FILE</c>, <c>--only 1,2,5</c>.</summary>
    public static BenchOptions Parse(string[] args)
    {
        string? outPath = null, dll = null;
        var quick = false;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
                case "--server-dll" when i + 1 < args.Length: dll = args[++i]; break;
                case "--quick": quick = true; break;
                case "--only" when i + 1 < args.Length:
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}' (use --out FILE, --quick, --server-dll FILE, --only ITEMS)");
            }
        }
        return new BenchOptions(outPath, quick, dll, only);
    }

    /// <summary>Full duration, or a short one with <c>--quick</c>.</summary>
    public TimeSpan Pick(TimeSpan full, TimeSpan quick) => Quick ? quick : full;

    /// <summary>Full count, or a small one with <c>--quick</c>.</summary>
    public int Pick(int full, int quick) => Quick ? quick : full;

    /// <summary>True when the item runs in this invocation (all items unless <c>--only</c> names a subset).</summary>
    public bool Runs(string item) => Only is null || Only.Contains(item);
}
