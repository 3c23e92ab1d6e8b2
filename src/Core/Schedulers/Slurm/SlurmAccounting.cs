using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Reads <c>sacct --parsable2</c> rows of <see cref="SlurmCliCommands.AccountingFormat"/> into <see cref="JobAccounting"/>.</summary>
public static class SlurmAccounting
{
    /// <summary>
    /// One entry per job or array element; its steps (<c>12.batch</c>, <c>12_3.0</c>) give the largest MaxRSS. When no
    /// step reports memory and the CPU time is zero, accounting gathers no usage on this cluster
    /// (<c>JobAcctGatherType=jobacct_gather/none</c>): CPU time and MaxRSS are then null, not zero.
    /// </summary>
    public static IReadOnlyList<JobAccounting> Parse(string stdout)
    {
        var jobs = new List<(string Id, string[] Fields)>();
        var maxRss = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.TrimEnd('\r').Split('|');
            if (f.Length < 10) continue;
            var dot = f[0].IndexOf('.');
            var owner = dot < 0 ? f[0] : f[0][..dot];
            if (Bytes(f[7]) is { } rss) maxRss[owner] = Math.Max(maxRss.GetValueOrDefault(owner), rss);
            if (dot < 0) jobs.Add((f[0], f));
        }
        return jobs.Select(j =>
        {
            var f = j.Fields;
            var rss = maxRss.TryGetValue(j.Id, out var r) ? r : (long?)null;
            var cpu = SchedulerText.ParseDuration(f[6]);
            if (rss is null && cpu == 0) cpu = null;
            var limitMinutes = SchedulerText.ParseLong(f[3]);
            return new JobAccounting(j.Id, SchedulerText.NullIfPlaceholder(f[1]), SchedulerText.ParseLong(f[2]), limitMinutes * 60,
                SchedulerText.ParseInt(f[4]), SchedulerText.ParseInt(f[5]), cpu, rss, SchedulerText.NullIfPlaceholder(f[8]), SchedulerText.NullIfPlaceholder(f[9]));
        }).ToList();
    }

    /// <summary>Slurm's memory figures (<c>1234K</c>, <c>12.5M</c>, <c>3G</c>, plain bytes) in bytes; null when empty.</summary>
    public static long? Bytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        var unit = char.ToUpperInvariant(text[^1]);
        var factor = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, 'P' => 1L << 50, _ => 1L };
        var number = SchedulerText.ParseDouble(factor == 1 ? text : text[..^1]);
        return number is { } n ? (long)Math.Round(n * factor) : null;
    }
}
