using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrest.Core.Models;

/// <summary>A system as <c>/status/systems</c> lists it (upstream <c>HPCCluster</c>); fields this model does not name are kept in <see cref="Extra"/>.</summary>
public sealed class HpcSystem
{
    /// <summary>System name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Scheduler description (<c>type</c>, <c>connectionMode</c>, <c>version</c>, …).</summary>
    public HpcSystemScheduler? Scheduler { get; set; }

    /// <summary>Latest health results; null before the first run.</summary>
    public List<ServiceHealth>? ServicesHealth { get; set; }

    /// <summary>When health was last checked.</summary>
    public DateTimeOffset? LastHealthCheck { get; set; }

    /// <summary>File systems.</summary>
    public List<HpcFileSystem> FileSystems { get; set; } = [];

    /// <summary>Data operation limits (upstream <c>dataOperation</c>, inner keys snake_case); null when the server sends none.</summary>
    public HpcDataOperation? DataOperation { get; set; }

    /// <summary>Other fields (ssh, probing, …) as sent by the server.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>True when every reported service is healthy (or nothing has been checked yet).</summary>
    [JsonIgnore]
    public bool IsHealthy => ServicesHealth is null || ServicesHealth.All(h => h.Healthy);
}

/// <summary>Scheduler part of <see cref="HpcSystem"/>.</summary>
public sealed class HpcSystemScheduler
{
    /// <summary><c>slurm</c> or <c>pbs</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>ssh</c>, <c>rest</c> or <c>hybrid</c>.</summary>
    public string? ConnectionMode { get; set; }

    /// <summary>Version.</summary>
    public string? Version { get; set; }

    /// <summary>slurmrestd URL.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>slurmrestd API version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Timeout in seconds.</summary>
    public double? Timeout { get; set; }

    /// <summary>Type, version and connection mode, e.g. <c>slurm 22.05 (ssh)</c>.</summary>
    public override string ToString() =>
        $"{Type}{(string.IsNullOrEmpty(Version) ? "" : " " + Version)}{(string.IsNullOrEmpty(ConnectionMode) ? "" : $" ({ConnectionMode})")}";
}

/// <summary>File system part of <see cref="HpcSystem"/>.</summary>
public sealed class HpcFileSystem
{
    /// <summary>Mount path.</summary>
    public string Path { get; set; } = "";

    /// <summary>What the file system holds; null when the server sends none.</summary>
    public FileSystemDataType? DataType { get; set; }

    /// <summary>Whether transfer jobs run here.</summary>
    public bool DefaultWorkDir { get; set; }

    /// <inheritdoc/>
    public override string ToString() => DataType is { } t ? $"{Path} ({t.ToString().ToLowerInvariant()})" : Path;
}

/// <summary>Data operation part of <see cref="HpcSystem"/> (upstream <c>DataOperation</c>; snake_case keys on the wire).</summary>
public sealed class HpcDataOperation
{
    /// <summary>Largest file the synchronous <c>ops/upload</c> and <c>ops/download</c> accept; larger files go through a transfer job.</summary>
    [JsonPropertyName("max_ops_file_size")]
    public long? MaxOpsFileSize { get; set; }

    /// <summary>The data transfer service, or null when the system has none.</summary>
    [JsonPropertyName("data_transfer")]
    public HpcDataTransfer? DataTransfer { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"max_ops_file_size {(MaxOpsFileSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}, transfers {DataTransfer?.ServiceType?.ToString().ToLowerInvariant() ?? "none"}";

    /// <summary>Other fields (job directives, …) as sent by the server.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Data transfer service of <see cref="HpcDataOperation"/>: its type; every other field is kept in <see cref="Extra"/>.</summary>
public sealed class HpcDataTransfer
{
    /// <summary>The transfer method the system serves; null when the server sends none.</summary>
    [JsonPropertyName("service_type")]
    public TransferMethod? ServiceType { get; set; }

    /// <summary>
    /// Reads the camelCase key that servers send (upstream's data_transfer is a CamelModel: <c>serviceType</c>);
    /// never written, so this model's own JSON keeps <c>service_type</c>.
    /// </summary>
    [JsonPropertyName("serviceType"), JsonInclude, JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal TransferMethod? ServiceTypeCamel
    {
        get => null;
        set => ServiceType ??= value;
    }

    /// <summary>Other fields (public_url, multipart, …) as sent by the server; secrets are masked by the server.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
