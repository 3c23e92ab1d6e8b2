using System.Globalization;
using System.Text.RegularExpressions;
using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Parsers for <c>scontrol -o</c> records, <c>sinfo</c>, <c>sacct --batch-script</c> and <c>scontrol ping</c>.</summary>
public static partial class SlurmControlParsers
{
    /// <summary>Parses every non-empty line of <c>scontrol show -o …</c> into key/value records.</summary>
    public static List<Dictionary<string, string>> ParseRecords(string stdout) =>
        stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('=')).Select(SchedulerText.ParseKeyValueLine).ToList();

    /// <summary>A job from <c>scontrol show -o job</c> (run with <c>SLURM_TIME_FORMAT=%s</c>).</summary>
    public static Job JobFromRecord(IReadOnlyDictionary<string, string> r)
    {
        var (exit, signal) = SlurmJobRows.ParseExitCode(r.GetValueOrDefault("ExitCode"));
        return new Job
        {
            JobId = r.GetValueOrDefault("JobId", ""),
            Name = Value(r, "JobName"),
            Status = new JobStatus { State = r.GetValueOrDefault("JobState", ""), StateReason = Value(r, "Reason"), ExitCode = exit, InterruptSignal = signal },
            Account = Value(r, "Account"),
            AllocationNodes = SchedulerText.ParseInt(r.GetValueOrDefault("NumNodes")),
            Group = NameOf(r.GetValueOrDefault("GroupId")),
            User = NameOf(r.GetValueOrDefault("UserId")),
            Nodes = Value(r, "NodeList"),
            Partition = Value(r, "Partition"),
            Priority = SchedulerText.ParseLong(r.GetValueOrDefault("Priority")),
            WorkingDirectory = Value(r, "WorkDir"),
            Time = new JobTime
            {
                Elapsed = SchedulerText.ParseDuration(r.GetValueOrDefault("RunTime")),
                Start = SchedulerText.ParseLong(r.GetValueOrDefault("StartTime")),
                End = SchedulerText.ParseLong(r.GetValueOrDefault("EndTime")),
                Suspended = SchedulerText.ParseLong(r.GetValueOrDefault("SecsPreSuspend")) is > 0 and var s ? s : 0,
                Limit = SchedulerText.ParseDuration(r.GetValueOrDefault("TimeLimit")),
            },
        };
    }

    /// <summary><c>fireuser(1001)</c> → <c>fireuser</c>.</summary>
    private static string? NameOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var p = text.IndexOf('(');
        return p > 0 ? text[..p] : text;
    }

    private static string? Value(IReadOnlyDictionary<string, string> r, string key) => SchedulerText.NullIfPlaceholder(r.GetValueOrDefault(key));

    /// <summary>
    /// Resolves a Slurm output path pattern as sbatch does for the batch step: <c>%j</c> job id (the raw id of an array
    /// element when <paramref name="rawJobId"/> is given), <c>%J</c> job id + <c>.batch</c>, <c>%x</c> job name,
    /// <c>%u</c> user, <c>%A</c>/<c>%a</c> array master/index, <c>%b</c> index modulo 10, <c>%N</c> first node,
    /// <c>%n</c>/<c>%t</c> 0, <c>%s</c> <c>batch</c>, <c>%%</c> a percent sign; a width (<c>%5j</c>) zero-pads numbers.
    /// A relative path is joined with the working directory.
    /// </summary>
    public static string? ResolvePath(string? pattern, string jobId, string? jobName, string? user, string? workDir, string? node = null, string? rawJobId = null)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern is "(null)") return null;
        var master = jobId.Split('_')[0];
        var index = jobId.Contains('_') ? jobId[(jobId.IndexOf('_') + 1)..] : "4294967294";
        var expanded = PathPattern().Replace(pattern, m =>
        {
            var width = m.Groups[1].Value.Length > 0 ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            string Number(string n) => n.All(char.IsAsciiDigit) ? n.PadLeft(Math.Min(width, 10), '0') : n;
            return m.Groups[2].Value switch
            {
                "%" => "%",
                "j" => Number(rawJobId ?? jobId),
                "J" => Number(rawJobId ?? jobId) + ".batch",
                "x" => jobName ?? m.Value,
                "u" => user ?? m.Value,
                "A" => Number(master),
                "a" => Number(index),
                "b" => index.All(char.IsAsciiDigit) && index.Length > 0 ? Number((long.Parse(index, System.Globalization.CultureInfo.InvariantCulture) % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)) : m.Value,
                "N" => node ?? m.Value,
                "n" or "t" => Number("0"),
                "s" => "batch",
                _ => m.Value,
            };
        });
        if (!expanded.StartsWith('/') && !string.IsNullOrEmpty(workDir))
            expanded = workDir.TrimEnd('/') + "/" + expanded;
        return expanded;
    }

    [GeneratedRegex(@"%(\d*)([%jJxuAabNnts])")]
    private static partial Regex PathPattern();

    /// <summary>Splits <c>sacct --batch-script</c> output (<c>Batch Script for N</c>, a dashed line, the script, a newline) by job id.</summary>
    public static Dictionary<string, string> ParseBatchScripts(string stdout)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = BatchHeader().Matches(stdout);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : stdout.Length;
            var script = stdout[start..end];
            // sacct prints a newline after each script (22.05); older outputs run straight into the next header.
            if (script.EndsWith('\n')) script = script[..^1];
            // "NONE": no script stored (yet: right after the job ends, slurmdbd has not received it).
            if (script.Trim() != "NONE") result[matches[i].Groups[1].Value] = script;
        }
        return result;
    }

    [GeneratedRegex(@"Batch Script for (\S+)\r?\n-+\r?\n")]
    private static partial Regex BatchHeader();

    /// <summary>Nodes from <c>sinfo -a -N --noheader --format='%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'</c>, merged by name.</summary>
    /// <remarks>
    /// Documented difference from upstream: sockets, cores and threads come from the three parts of <c>%z</c>
    /// (upstream gives all three the first number). <c>%m</c> still maps to allocMemory, as upstream.
    /// </remarks>
    public static List<Node> ParseNodes(string stdout)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var raw in stdout.Split('\n'))
        {
            var f = raw.TrimEnd('\r').Split('|');
            if (f.Length != 14) continue;
            var name = f[5].Trim();
            var partition = f[9].Trim().TrimEnd('*');
            if (nodes.TryGetValue(name, out var known))
            {
                if (partition.Length > 0 && !known.Partitions.Contains(partition)) known.Partitions.Add(partition);
                continue;
            }
            var sct = f[0].Split(':');
            var cpus = f[13].Split('/');
            var node = new Node
            {
                Sockets = SchedulerText.ParseInt(sct.ElementAtOrDefault(0)),
                Cores = SchedulerText.ParseInt(sct.ElementAtOrDefault(1)),
                Threads = SchedulerText.ParseInt(sct.ElementAtOrDefault(2)),
                Cpus = SchedulerText.ParseInt(f[1]),
                CpuLoad = SchedulerText.ParseDouble(f[2]),
                FreeMemory = SchedulerText.ParseLong(f[3]),
                Features = SchedulerText.NullIfPlaceholder(f[4].Trim()),
                Name = name,
                Address = SchedulerText.NullIfPlaceholder(f[6].Trim()),
                Hostname = SchedulerText.NullIfPlaceholder(f[7].Trim()),
                State = MapNodeState(f[8]),
                Partitions = partition.Length > 0 ? [partition] : [],
                Weight = SchedulerText.ParseLong(f[10]),
                AllocMemory = SchedulerText.ParseLong(f[12]),
                AllocCpus = SchedulerText.ParseInt(cpus.ElementAtOrDefault(0)),
                IdleCpus = SchedulerText.ParseInt(cpus.ElementAtOrDefault(1)),
            };
            nodes[name] = node;
            order.Add(name);
        }
        return order.Select(n => nodes[n]).ToList();
    }

    /// <summary>Maps a sinfo state (<c>%T</c> or <c>%t</c>, flags <c>*~#%$@!</c> stripped, <c>+</c>-joined) to NodeState names.</summary>
    public static List<string> MapNodeState(string text)
    {
        var result = new List<string>();
        foreach (var part in text.Trim().ToLowerInvariant().Split('+', StringSplitOptions.RemoveEmptyEntries))
        {
            var s = part.TrimEnd('*', '~', '#', '%', '$', '@', '!', '^', '-');
            var mapped = s switch
            {
                "idle" => "IDLE",
                _ when s.StartsWith("alloc") => "ALLOCATED",
                _ when s.StartsWith("mix") => "MIXED",
                "down" => "DOWN",
                _ when s.StartsWith("fail") => "DOWN",
                _ when s.StartsWith("drain") || s == "drng" => "DRAIN",
                _ when s.StartsWith("comp") => "COMPLETING",
                "maint" => "OFFLINE",
                "resv" or "reserved" => "RESERVED",
                "pow_dn" or "powered_down" or "powering_down" or "power_down" => "POWERING_DOWN",
                "pow_up" or "powering_up" or "power_up" => "POWERING_UP",
                _ => "UNKNOWN",
            };
            if (!result.Contains(mapped)) result.Add(mapped);
        }
        if (result.Count == 0) result.Add("UNKNOWN");
        return result;
    }

    /// <summary>Partitions from <c>scontrol -a show -o partitions</c>; hidden ones only when <paramref name="showHidden"/>.</summary>
    public static List<Partition> ParsePartitions(string stdout, bool showHidden) =>
        ParseRecords(stdout)
            .Where(r => r.ContainsKey("PartitionName"))
            .Where(r => showHidden || !string.Equals(r.GetValueOrDefault("Hidden"), "YES", StringComparison.OrdinalIgnoreCase))
            .Select(r => new Partition
            {
                Name = r["PartitionName"],
                Cpus = SchedulerText.ParseInt(r.GetValueOrDefault("TotalCPUs")),
                TotalNodes = SchedulerText.ParseInt(r.GetValueOrDefault("TotalNodes")),
                PartitionState = r.GetValueOrDefault("State"),
            }).ToList();

    /// <summary>Partitions with their limits from <c>scontrol -a show -o partitions</c> (hidden ones left out).</summary>
    public static List<PartitionDetails> ParsePartitionDetails(string stdout) =>
        ParseRecords(stdout)
            .Where(r => r.ContainsKey("PartitionName") && !string.Equals(r.GetValueOrDefault("Hidden"), "YES", StringComparison.OrdinalIgnoreCase))
            .Select(r => new PartitionDetails(
                r["PartitionName"],
                SchedulerText.NullIfPlaceholder(r.GetValueOrDefault("State")),
                string.Equals(r.GetValueOrDefault("Default"), "YES", StringComparison.OrdinalIgnoreCase),
                Limit(r.GetValueOrDefault("MaxTime")),
                Limit(r.GetValueOrDefault("DefaultTime")),
                SchedulerText.ParseInt(r.GetValueOrDefault("TotalNodes")),
                SchedulerText.ParseInt(r.GetValueOrDefault("TotalCPUs")),
                SchedulerText.ParseInt(r.GetValueOrDefault("MaxNodes")),
                SchedulerText.NullIfPlaceholder(r.GetValueOrDefault("Nodes")))).ToList();

    /// <summary>A time limit in seconds; null for <c>UNLIMITED</c>, <c>INFINITE</c> and <c>NONE</c>.</summary>
    private static long? Limit(string? text) =>
        text is null or "UNLIMITED" or "INFINITE" or "NONE" ? null : SchedulerText.ParseDuration(text);

    /// <summary>Reservations from <c>scontrol -a show -o reservations</c>; "No reservations" gives an empty list.</summary>
    public static List<Reservation> ParseReservations(string stdout, DateTimeOffset now, TimeZoneInfo zone)
    {
        var list = new List<Reservation>();
        foreach (var r in ParseRecords(stdout).Where(r => r.ContainsKey("ReservationName")))
        {
            var start = ParseTime(r.GetValueOrDefault("StartTime"), now, zone);
            var end = ParseTime(r.GetValueOrDefault("EndTime"), now, zone);
            var state = r.GetValueOrDefault("State")?.ToLowerInvariant();
            if (string.IsNullOrEmpty(state))
            {
                var t = now.ToUnixTimeSeconds();
                state = start <= t && (end is null || t < end) ? "active" : "inactive";
            }
            list.Add(new Reservation
            {
                Name = r["ReservationName"],
                NodeList = SchedulerText.NullIfPlaceholder(r.GetValueOrDefault("Nodes")),
                StartTime = start,
                EndTime = end,
                Features = SchedulerText.NullIfPlaceholder(r.GetValueOrDefault("Features")),
                State = state,
            });
        }
        return list;
    }

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "d MMM HH:mm", "d MMM yyyy", "d MMM HH:mm:ss", "HH:mm:ss", "HH:mm",
    ];

    /// <summary>
    /// Parses a Slurm time: epoch seconds, ISO <c>2025-06-18T07:00:00</c>, <c>4 Jun 08:00</c> (this year),
    /// <c>11 Apr 2026</c> or <c>08:30:00</c> (today), in <paramref name="zone"/>; null when unparseable.
    /// </summary>
    public static long? ParseTime(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        text = SchedulerText.NullIfPlaceholder(text?.Trim());
        if (text is null || text is "None" or "INFINITE" or "UNLIMITED") return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)) return epoch;
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        foreach (var format in TimeFormats)
        {
            if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault, out var dt)) continue;
            // NoCurrentDateDefault leaves 0001-01-01 when no date was given; formats without a year get this year.
            if (dt.Year == 1 && !format.Contains("MMM")) dt = localNow.Date + dt.TimeOfDay;
            else if (!format.Contains("yyyy")) dt = new DateTime(localNow.Year, dt.Month, dt.Day, dt.Hour, dt.Minute, dt.Second);
            var offset = zone.GetUtcOffset(dt);
            return new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), offset).ToUnixTimeSeconds();
        }
        return null;
    }

    /// <summary>Parses <c>scontrol ping</c>: healthy when a controller reports UP.</summary>
    public static (bool Healthy, string Message) ParsePing(string stdout)
    {
        var matches = PingLine().Matches(stdout);
        var healthy = matches.Any(m => m.Groups[3].Value == "UP");
        return (healthy, stdout.Trim());
    }

    [GeneratedRegex(@"Slurmctld\(([^)]*)\) at (\S+) is (UP|DOWN)")]
    private static partial Regex PingLine();
}
