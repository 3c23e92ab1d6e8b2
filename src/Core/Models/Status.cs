using System.Text.Json.Serialization;

namespace Firecrest.Core.Models;

/// <summary>A compute node (wire model <c>Node</c>).</summary>
public sealed class Node
{
    /// <summary>Sockets.</summary>
    public int? Sockets { get; set; }

    /// <summary>Cores per socket.</summary>
    public int? Cores { get; set; }

    /// <summary>Threads per core.</summary>
    public int? Threads { get; set; }

    /// <summary>CPUs.</summary>
    public int? Cpus { get; set; }

    /// <summary>CPU load.</summary>
    public double? CpuLoad { get; set; }

    /// <summary>Free memory (MB).</summary>
    public long? FreeMemory { get; set; }

    /// <summary>Features.</summary>
    public string? Features { get; set; }

    /// <summary>Node name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Address.</summary>
    public string? Address { get; set; }

    /// <summary>Host name.</summary>
    public string? Hostname { get; set; }

    /// <summary>States: IDLE ALLOCATED MIXED DOWN DRAIN OFFLINE RESERVED COMPLETING BUSY POWERING_DOWN POWERING_UP UNKNOWN.</summary>
    public List<string> State { get; set; } = [];

    /// <summary>Partitions the node belongs to.</summary>
    public List<string> Partitions { get; set; } = [];

    /// <summary>Scheduling weight.</summary>
    public long? Weight { get; set; }

    /// <summary>Memory (MB; upstream maps configured memory here).</summary>
    public long? AllocMemory { get; set; }

    /// <summary>Allocated CPUs.</summary>
    public int? AllocCpus { get; set; }

    /// <summary>Idle CPUs.</summary>
    public int? IdleCpus { get; set; }
}

/// <summary>A partition or queue (wire model <c>Partition</c>).</summary>
public sealed class Partition
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>CPUs.</summary>
    public int? Cpus { get; set; }

    /// <summary>Nodes.</summary>
    public int? TotalNodes { get; set; }

    /// <summary>The partition's state (upstream calls this field <c>partition</c>): a string such as <c>UP</c>, or a list from slurmrestd.</summary>
    [JsonPropertyName("partition")]
    public object? PartitionState { get; set; }
}

/// <summary>A reservation (wire model <c>Reservation</c>).</summary>
public sealed class Reservation
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Reserved nodes.</summary>
    public string? NodeList { get; set; }

    /// <summary>End (epoch seconds).</summary>
    public long? EndTime { get; set; }

    /// <summary>Start (epoch seconds).</summary>
    public long? StartTime { get; set; }

    /// <summary>Features.</summary>
    public string? Features { get; set; }

    /// <summary>State, lower case (<c>active</c>/<c>inactive</c>).</summary>
    public string? State { get; set; }
}

/// <summary>A numeric id with a name (user or group).</summary>
public sealed class IdName
{
    /// <summary>Numeric id as text.</summary>
    public string Id { get; set; } = "";

    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Name and id, e.g. <c>fireuser (1000)</c> (what shells and PowerShell print for the object).</summary>
    public override string ToString() => Id.Length == 0 ? Name : $"{Name} ({Id})";
}

/// <summary>A scheduler account the user may charge.</summary>
public sealed class SchedulerAccount
{
    /// <summary>Account name.</summary>
    public string Name { get; set; } = "";

    /// <summary>True for the user's default account.</summary>
    public bool Default { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Default ? Name + " (default)" : Name;
}

/// <summary>Who the user is on a system (wire model of <c>/status/{system}/userinfo</c>).</summary>
public sealed class UserInfo
{
    /// <summary>User id and name.</summary>
    public IdName User { get; set; } = new();

    /// <summary>Primary group.</summary>
    public IdName Group { get; set; } = new();

    /// <summary>All groups.</summary>
    public List<IdName> Groups { get; set; } = [];

    /// <summary>Scheduler accounts; null on PBS.</summary>
    public List<SchedulerAccount>? Accounts { get; set; }
}

/// <summary>Health of one service of a system (wire model <c>HealthCheck*</c>).</summary>
public sealed class ServiceHealth
{
    /// <summary>The probed service; <c>exception</c> when the whole run failed (that entry gates nothing).</summary>
    public HealthServiceType ServiceType { get; set; }

    /// <summary>When it was checked.</summary>
    public DateTimeOffset? LastChecked { get; set; }

    /// <summary>Probe latency in seconds.</summary>
    public double? Latency { get; set; }

    /// <summary>Healthy or not.</summary>
    public bool Healthy { get; set; }

    /// <summary>Detail.</summary>
    public string? Message { get; set; }

    /// <summary>File system path (filesystem probes).</summary>
    public string? Path { get; set; }

    /// <summary>Service and verdict, e.g. <c>ssh: healthy</c>.</summary>
    public override string ToString() =>
        $"{ServiceType.ToString().ToLowerInvariant()}{(Path is null ? "" : " " + Path)}: {(Healthy ? "healthy" : "unhealthy")}{(Healthy || Message is null ? "" : " (" + Message + ")")}";
}

/// <summary>Liveness of the health checker (wire model of <c>/status/liveness/</c>).</summary>
public sealed class Liveness
{
    /// <summary>Last health run per system.</summary>
    public Dictionary<string, DateTimeOffset> HealthcheckRuns { get; set; } = [];

    /// <summary>Seconds since the oldest last run; 0 if none.</summary>
    public long LastUpdate { get; set; }
}
