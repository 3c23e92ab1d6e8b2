using System.Globalization;
using System.Text.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Pbs;

/// <summary>Parsers for OpenPBS JSON output (<c>qstat -F json</c>, <c>pbsnodes -F json</c>) and <c>pbs_rstat -f</c>.</summary>
public static class PbsParsers
{
    /// <summary>A PBS job id without its server suffix: the part before the first <c>.</c> (<c>123[].pbs</c> → <c>123[]</c>).</summary>
    public static string ShortId(string id) => id.Split('.', 2)[0];

    private static JsonDocument? Parse(string stdout) => string.IsNullOrWhiteSpace(stdout) ? null : JsonDocument.Parse(stdout.Trim());

    /// <summary>A raw PBS job (one entry of <c>Jobs</c>) with its short id.</summary>
    public sealed record PbsJob(string Id, Job Job, JobMetadata Metadata, string? Owner);

    /// <summary>Jobs of <c>qstat -F json -f … -x</c>.</summary>
    public static List<PbsJob> ParseJobs(string stdout, TimeZoneInfo zone)
    {
        using var doc = Parse(stdout);
        var list = new List<PbsJob>();
        if (doc is null || !doc.RootElement.TryGetProperty("Jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Object) return list;
        foreach (var p in jobs.EnumerateObject())
        {
            var j = p.Value;
            var id = ShortId(p.Name);
            var ownerAtHost = Str(j, "Job_Owner");
            var at = ownerAtHost?.IndexOf('@') ?? -1;
            var owner = at > 0 ? ownerAtHost![..at] : ownerAtHost;
            var hosts = Str(j, "exec_host") is { } eh ? string.Join(',', eh.Split('+').Select(h => h.Split('/')[0]).Distinct()) : null;
            var job = new Job
            {
                JobId = id,
                Name = Str(j, "Job_Name"),
                Status = new JobStatus
                {
                    State = Str(j, "job_state") ?? "",
                    StateReason = Str(j, "comment"),
                    ExitCode = Int(j, "Exit_status"),
                },
                Account = Str(j, "project"),
                Partition = Str(j, "queue"),
                Priority = Int(j, "Priority"),
                Nodes = string.IsNullOrEmpty(hosts) ? "None assigned" : hosts,
                User = owner,
                Cluster = at > 0 ? ownerAtHost![(at + 1)..] : Str(j, "server"),
                Group = Str(j, "egroup"),
                AllocationNodes = Nested(j, "Resource_List", "nodect") is { } n ? SchedulerText.ParseInt(n) : null,
                WorkingDirectory = Nested(j, "Variable_List", "PBS_O_WORKDIR"),
                Time = new JobTime
                {
                    Elapsed = SchedulerText.ParseDuration(Nested(j, "resources_used", "walltime")),
                    Start = ParseTime(Str(j, "stime"), zone),
                    End = ParseTime(Str(j, "obittime"), zone),
                    Limit = SchedulerText.ParseDuration(Nested(j, "Resource_List", "walltime")),
                },
            };
            // Upstream swaps these (see docs/differences.md): Output_Path is stdout and Error_Path is stderr.
            var meta = new JobMetadata
            {
                JobId = id,
                StandardOutput = StripHost(Str(j, "Output_Path")),
                StandardError = StripHost(Str(j, "Error_Path")),
            };
            list.Add(new PbsJob(id, job, meta, owner));
        }
        return list;
    }

    /// <summary><c>host:/path</c> → <c>/path</c>.</summary>
    public static string? StripHost(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var colon = path.IndexOf(':');
        return colon >= 0 && !path[..colon].Contains('/') ? path[(colon + 1)..] : path;
    }

    /// <summary>Parses PBS times such as <c>Thu Jun 19 10:36:47 2025</c> (or epoch) in <paramref name="zone"/>.</summary>
    public static long? ParseTime(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text, out var epoch)) return epoch;
        var squeezed = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!DateTime.TryParseExact(squeezed, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt)) return null;
        return new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), zone.GetUtcOffset(dt)).ToUnixTimeSeconds();
    }

    /// <summary>Nodes of <c>pbsnodes -a -F json</c>.</summary>
    public static List<Node> ParseNodes(string stdout)
    {
        using var doc = Parse(stdout);
        var list = new List<Node>();
        if (doc is null || !doc.RootElement.TryGetProperty("nodes", out var nodes)) return list;
        foreach (var p in nodes.EnumerateObject())
        {
            var n = p.Value;
            var cpus = Nested(n, "resources_available", "ncpus") ?? Str(n, "pcpus");
            var assigned = SchedulerText.ParseInt(Nested(n, "resources_assigned", "ncpus")) ?? 0;
            var total = SchedulerText.ParseInt(cpus);
            list.Add(new Node
            {
                Name = p.Name,
                Hostname = Nested(n, "resources_available", "host") ?? Str(n, "Mom"),
                Address = Str(n, "Mom"),
                Cpus = total,
                AllocCpus = assigned,
                IdleCpus = total is { } t ? t - assigned : null,
                AllocMemory = MemoryMb(Nested(n, "resources_available", "mem")),
                State = (Str(n, "state") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MapNodeState).Distinct().DefaultIfEmpty("UNKNOWN").ToList(),
                Partitions = Str(n, "queue") is { } q ? [q] : [],
            });
        }
        return list;
    }

    /// <summary>Maps a PBS node state to a NodeState name.</summary>
    public static string MapNodeState(string state) => state switch
    {
        "free" => "IDLE",
        "job-exclusive" or "job-busy" => "ALLOCATED",
        "job-sharing" or "time-shared" => "MIXED",
        "down" => "DOWN",
        "offline" => "OFFLINE",
        "resv-exclusive" or "reserve" => "RESERVED",
        "busy" => "BUSY",
        _ => "UNKNOWN",
    };

    private static long? MemoryMb(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var digits = new string(text.TakeWhile(char.IsDigit).ToArray());
        if (!long.TryParse(digits, out var v)) return null;
        return text[digits.Length..].ToLowerInvariant() switch
        {
            "kb" => v / 1024,
            "mb" => v,
            "gb" => v * 1024,
            "tb" => v * 1024 * 1024,
            "b" or "" => v / (1024 * 1024),
            _ => null,
        };
    }

    /// <summary>Queues of <c>qstat -F json -f -Q</c>; state <c>UP</c> when started.</summary>
    public static List<Partition> ParseQueues(string stdout)
    {
        using var doc = Parse(stdout);
        var list = new List<Partition>();
        if (doc is null || !doc.RootElement.TryGetProperty("Queue", out var queues)) return list;
        foreach (var p in queues.EnumerateObject())
            list.Add(new Partition
            {
                Name = p.Name,
                Cpus = SchedulerText.ParseInt(Nested(p.Value, "resources_available", "ncpus")),
                TotalNodes = SchedulerText.ParseInt(Nested(p.Value, "resources_available", "nodect")),
                PartitionState = Str(p.Value, "started") == "True" ? "UP" : "DOWN",
            });
        return list;
    }

    /// <summary>Server health from <c>qstat -F json -f -B</c>: Active, Scheduling or Idle is healthy.</summary>
    public static (bool Healthy, string Message) ParseServerState(string stdout)
    {
        using var doc = Parse(stdout);
        if (doc is null || !doc.RootElement.TryGetProperty("Server", out var servers)) return (false, "No PBS server in the answer.");
        foreach (var p in servers.EnumerateObject())
        {
            var state = Str(p.Value, "server_state") ?? "";
            return (state is "Active" or "Scheduling" or "Idle", $"PBS server {p.Name} is {state}");
        }
        return (false, "No PBS server in the answer.");
    }

    /// <summary>Reservations of <c>pbs_rstat -Sf</c> (blocks starting with <c>Resv ID:</c>, then <c>key = value</c> lines).</summary>
    public static List<Reservation> ParseReservations(string stdout, TimeZoneInfo zone)
    {
        var list = new List<Reservation>();
        Dictionary<string, string>? current = null;
        string? id = null;
        void Flush()
        {
            if (id is null || current is null) return;
            list.Add(new Reservation
            {
                Name = current.GetValueOrDefault("Reserve_Name") ?? id,
                NodeList = current.GetValueOrDefault("resv_nodes"),
                StartTime = ParseTime(current.GetValueOrDefault("reserve_start"), zone),
                EndTime = ParseTime(current.GetValueOrDefault("reserve_end"), zone),
                State = current.GetValueOrDefault("reserve_state")?.Replace("RESV_", "").ToLowerInvariant(),
            });
        }
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Resv ID:", StringComparison.Ordinal))
            {
                Flush();
                id = line["Resv ID:".Length..].Trim();
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            var eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (current is not null && eq > 0) current[line[..eq].Trim()] = line[(eq + 3)..].Trim();
        }
        Flush();
        return list;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => null,
        } : null;

    private static int? Int(JsonElement e, string name) => SchedulerText.ParseInt(Str(e, name));

    private static string? Nested(JsonElement e, string outer, string inner) =>
        e.TryGetProperty(outer, out var o) && o.ValueKind == JsonValueKind.Object ? Str(o, inner) : null;
}
