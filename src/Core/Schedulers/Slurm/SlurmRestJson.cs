using System.Text.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Schedulers.Slurm;

/// <summary>Reads slurmrestd JSON of every api version (0.0.38 … 0.0.42): plain or complex ints, string or list states.</summary>
public static class SlurmRestJson
{
    /// <summary>A property, or default when absent or null.</summary>
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>
    /// Unwraps a Slurm number: plain, or complex <c>{set, infinite, number}</c> (null when not set or infinite);
    /// numeric strings are accepted too.
    /// </summary>
    public static long? Long(JsonElement? e)
    {
        if (e is not { } v) return null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number: return v.TryGetInt64(out var l) ? l : (long)v.GetDouble();
            case JsonValueKind.String: return SchedulerText.ParseLong(v.GetString());
            case JsonValueKind.Object:
                if (v.Prop("set") is { ValueKind: JsonValueKind.False }) return null;
                if (v.Prop("infinite") is { ValueKind: JsonValueKind.True }) return null;
                return Long(v.Prop("number"));
            default: return null;
        }
    }

    /// <summary><see cref="Long"/> as int.</summary>
    public static int? Int(JsonElement? e) => Long(e) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;

    /// <summary>A string, the first element of a list of strings, or null; empty strings are null.</summary>
    public static string? Str(JsonElement? e)
    {
        if (e is not { } v) return null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Array => v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null).FirstOrDefault(),
            _ => null,
        };
        return string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>Every string of a string or list of strings.</summary>
    public static List<string> Strings(JsonElement? e) =>
        e is not { } v ? []
        : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
        : v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s.Split(',').ToList() : [];

    /// <summary>
    /// Exit code and signal: a plain int (0.0.38 slurmctld: the raw wait status, 768 = exit 3) or
    /// <c>{status, return_code, signal{id}}</c>; an object without a signal means none (0), as sacct's <c>N:0</c>.
    /// </summary>
    public static (int? ExitCode, int? Signal) ExitCode(JsonElement? e)
    {
        if (e is not { } v) return (null, null);
        if (v.ValueKind != JsonValueKind.Object)
            return Int(v) is { } raw ? ((raw >> 8) & 0xff, raw & 0x7f) : (null, null);
        var code = Int(v.Prop("return_code"));
        var signal = Int(v.Prop("signal")?.Prop("id") ?? v.Prop("signal")?.Prop("signal_id"));
        return (code, signal ?? (code is null ? null : 0));
    }

    /// <summary>
    /// A job of <c>/slurm/v*/job(s)</c> (slurmctld). Its <c>end_time</c> is the projected end while the job has not
    /// ended (start + time limit; a year for an unlimited one): the end is null until the job is final, as sacct's
    /// <c>Unknown</c>.
    /// </summary>
    public static Job ControllerJob(JsonElement j, DateTimeOffset now)
    {
        var (exit, signal) = ExitCode(j.Prop("exit_code"));
        var start = Long(j.Prop("start_time"));
        var end = Long(j.Prop("end_time"));
        var state = Str(j.Prop("job_state")) ?? "";
        // A pending job has no exit code and no suspended time yet (the SSH mode reads it from squeue, which has neither).
        var pending = state is "PENDING";
        if (pending) (exit, signal) = (null, null);
        long? elapsed = start is > 0
            ? Math.Max(0, (pending ? start.Value : end is > 0 && end <= now.ToUnixTimeSeconds() ? end.Value : now.ToUnixTimeSeconds()) - start.Value)
            : null;
        var resources = j.Prop("job_resources");
        return new Job
        {
            JobId = Str(j.Prop("job_id")) ?? "",
            Name = Str(j.Prop("name")),
            Status = new JobStatus { State = state, StateReason = Str(j.Prop("state_reason")), ExitCode = exit, InterruptSignal = signal },
            Account = Str(j.Prop("account")),
            AllocationNodes = Int(j.Prop("node_count")) ?? Int(resources?.Prop("nodes")?.Prop("count")) ?? Int(resources?.Prop("allocated_hosts")),
            Cluster = Str(j.Prop("cluster")),
            Group = Str(j.Prop("group_name")),
            Nodes = Str(j.Prop("nodes")),
            Partition = Str(j.Prop("partition")),
            User = Str(j.Prop("user_name")),
            WorkingDirectory = Str(j.Prop("current_working_directory")),
            Priority = Long(j.Prop("priority")),
            Time = new JobTime
            {
                Start = start is > 0 ? start : null,
                End = end is > 0 && JobStates.IsFinal(JobStates.Normalize(state)) ? end : null,
                Elapsed = elapsed,
                // slurmctld gives when a job was last suspended, not for how long: a job never suspended has 0 s (as sacct).
                Suspended = !pending && Long(j.Prop("suspend_time")) is 0 ? 0 : null,
                Limit = Long(j.Prop("time_limit")) * 60,
            },
        };
    }

    /// <summary>A job of <c>/slurmdb/v*/job(s)</c> (accounting), steps as tasks.</summary>
    public static Job AccountingJob(JsonElement j)
    {
        var (exit, signal) = ExitCode(j.Prop("exit_code"));
        var state = j.Prop("state");
        var id = Str(j.Prop("job_id")) ?? "";
        var job = new Job
        {
            JobId = id,
            Name = Str(j.Prop("name")),
            Status = new JobStatus
            {
                State = Str(state?.Prop("current")) ?? Str(state) ?? "",
                StateReason = Str(state?.Prop("reason")),
                ExitCode = exit,
                InterruptSignal = signal,
            },
            Account = Str(j.Prop("account")),
            AllocationNodes = Int(j.Prop("allocation_nodes")),
            Cluster = Str(j.Prop("cluster")),
            Group = Str(j.Prop("group")),
            Nodes = Str(j.Prop("nodes")),
            Partition = Str(j.Prop("partition")),
            User = Str(j.Prop("user")),
            WorkingDirectory = Str(j.Prop("working_directory")),
            Priority = Long(j.Prop("priority")),
            KillRequestUser = Str(j.Prop("kill_request_user")),
            Time = Time(j.Prop("time"), limitInMinutes: true),
        };
        if (j.Prop("steps") is { ValueKind: JsonValueKind.Array } steps)
        {
            job.Tasks = [];
            foreach (var s in steps.EnumerateArray())
            {
                var stepId = Str(s.Prop("step")?.Prop("id")) ?? "";
                var (se, ss) = ExitCode(s.Prop("exit_code"));
                job.Tasks.Add(new JobTask
                {
                    Id = stepId.Contains('.') ? stepId : $"{id}.{stepId}",
                    Name = Str(s.Prop("step")?.Prop("name")),
                    Status = new JobStatus { State = Str(s.Prop("state")) ?? "", ExitCode = se, InterruptSignal = ss },
                    Time = Time(s.Prop("time"), limitInMinutes: true),
                });
            }
            if (job.Tasks.Count == 0) job.Tasks = null;
        }
        return job;
    }

    private static JobTime Time(JsonElement? t, bool limitInMinutes) => new()
    {
        Elapsed = Long(t?.Prop("elapsed")),
        Start = Long(t?.Prop("start")) is > 0 and var s ? s : null,
        End = Long(t?.Prop("end")) is > 0 and var e ? e : null,
        Suspended = Long(t?.Prop("suspended")),
        Limit = Long(t?.Prop("limit")) * (limitInMinutes ? 60 : 1),
    };

    /// <summary>A node of <c>/slurm/v*/nodes</c>.</summary>
    public static Node Node(JsonElement n)
    {
        var states = Strings(n.Prop("state")).Concat(Strings(n.Prop("state_flags")));
        var load = Long(n.Prop("cpu_load"));
        return new Node
        {
            Name = Str(n.Prop("name")) ?? "",
            Sockets = Int(n.Prop("sockets")),
            Cores = Int(n.Prop("cores")),
            Threads = Int(n.Prop("threads")),
            Cpus = Int(n.Prop("cpus")),
            CpuLoad = load / 100.0,
            FreeMemory = Long(n.Prop("free_memory") ?? n.Prop("free_mem")),
            Features = Strings(n.Prop("features")) is { Count: > 0 } f ? string.Join(',', f) : null,
            Address = Str(n.Prop("address")),
            Hostname = Str(n.Prop("hostname")),
            State = SlurmControlParsers.MapNodeState(string.Join('+', states)),
            Partitions = Strings(n.Prop("partitions")),
            Weight = Long(n.Prop("weight")),
            AllocMemory = Long(n.Prop("alloc_memory")),
            AllocCpus = Int(n.Prop("alloc_cpus")),
            IdleCpus = Int(n.Prop("alloc_idle_cpus") ?? n.Prop("idle_cpus")),
        };
    }

    /// <summary>A partition of <c>/slurm/v*/partitions</c>; the state stays as sent (string, or a list from newer versions).</summary>
    public static Partition Partition(JsonElement p)
    {
        var stateElement = p.Prop("partition")?.Prop("state") ?? p.Prop("state");
        object? state = stateElement is { ValueKind: JsonValueKind.Array } a ? Strings(a) : Str(stateElement);
        return new Partition
        {
            Name = Str(p.Prop("name")) ?? "",
            Cpus = Int(p.Prop("total_cpus")) ?? Int(p.Prop("cpus")?.Prop("total")),
            TotalNodes = Int(p.Prop("total_nodes")) ?? Int(p.Prop("nodes")?.Prop("total")),
            PartitionState = state,
        };
    }

    /// <summary>True when the partition carries the hidden flag.</summary>
    public static bool IsHidden(JsonElement p) =>
        Strings(p.Prop("flags")).Concat(Strings(p.Prop("partition")?.Prop("state"))).Any(f => f.Equals("hidden", StringComparison.OrdinalIgnoreCase));

    /// <summary>A reservation of <c>/slurm/v*/reservations</c>; the state is computed from the times.</summary>
    public static Reservation Reservation(JsonElement r, DateTimeOffset now)
    {
        var start = Long(r.Prop("start_time"));
        var end = Long(r.Prop("end_time"));
        var t = now.ToUnixTimeSeconds();
        return new Reservation
        {
            Name = Str(r.Prop("name")) ?? "",
            NodeList = Str(r.Prop("node_list")),
            StartTime = start,
            EndTime = end,
            Features = Str(r.Prop("features")),
            State = start <= t && (end is null || t < end) ? "active" : "inactive",
        };
    }
}
