using System.Text.Json.Serialization;
using Firecrest.Core.Json;
using Firecrest.Core.Models;

namespace Firecrest.Core.Configuration;

/// <summary>One HPC system (<c>clusters[]</c>).</summary>
public sealed class ClusterSettings
{
    /// <summary>System name, lower-cased at load time.</summary>
    public string Name { get; set; } = "";

    /// <summary>SSH endpoint and timeouts.</summary>
    public SshSettings Ssh { get; set; } = new();

    /// <summary>Scheduler and how to reach it.</summary>
    public SchedulerSettings Scheduler { get; set; } = new();

    /// <summary>Service account of the health checker.</summary>
    public ServiceAccountSettings? ServiceAccount { get; set; }

    public ProbingSettings Probing { get; set; } = new();

    /// <summary>File systems served; every path argument must lie inside one of them.</summary>
    public List<FileSystemSettings> FileSystems { get; set; } = [];

    /// <summary>Data operation limits and the data transfer service.</summary>
    public DataOperationSettings DataOperation { get; set; } = new();
}

/// <summary>SSH settings of a cluster (<c>clusters[].ssh</c>).</summary>
public sealed class SshSettings
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 22;

    public string? ProxyHost { get; set; }

    /// <summary>Port of the jump host.</summary>
    public int? ProxyPort { get; set; }

    /// <summary>Cap on pooled connections (one per user).</summary>
    public int MaxClients { get; set; } = 100;

    public SshTimeoutSettings Timeout { get; set; } = new();

    /// <summary>Extension: known_hosts file used to verify the host key.</summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>Extension: pinned host key fingerprints (<c>SHA256:…</c>).</summary>
    public List<string> HostKeyFingerprints { get; set; } = [];

    /// <summary>Extension: disables host key verification. Insecure; logged loudly at start-up.</summary>
    public bool InsecureSkipHostKeyVerification { get; set; }

    /// <summary>Extension: channels per connection before further commands queue (never above the server's MaxSessions).</summary>
    public int MaxSessionsPerConnection { get; set; } = 10;

    /// <summary>
    /// Extension: commands that read no stdin run one after another in <c>/bin/sh</c> processes kept open on the
    /// connection's channels, instead of an exec request (a new session process and login shell on the server) each.
    /// </summary>
    public bool ReuseShells { get; set; } = true;
}

/// <summary>SSH timeouts in seconds (<c>clusters[].ssh.timeout</c>).</summary>
public sealed class SshTimeoutSettings
{
    public double Connection { get; set; } = 5;

    public double Login { get; set; } = 5;

    public double CommandExecution { get; set; } = 5;

    /// <summary>Idle connections are closed after this.</summary>
    public double IdleTimeout { get; set; } = 60;

    public double KeepAlive { get; set; } = 5;
}

[JsonConverter(typeof(SnakeCaseEnumConverter<SchedulerType>))]
public enum SchedulerType
{
    Slurm,

    Pbs,
}

/// <summary>How the scheduler is reached.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SchedulerConnectionMode>))]
public enum SchedulerConnectionMode
{
    /// <summary>Command line over SSH.</summary>
    Ssh,

    Rest,

    /// <summary>slurmrestd, with SSH for script-path submits and metadata.</summary>
    Hybrid,
}

/// <summary>Scheduler settings (<c>clusters[].scheduler</c>).</summary>
public sealed class SchedulerSettings
{
    public SchedulerType Type { get; set; } = SchedulerType.Slurm;

    /// <summary>Scheduler version, e.g. <c>22.05.8</c>.</summary>
    public string Version { get; set; } = "";

    public SchedulerConnectionMode ConnectionMode { get; set; } = SchedulerConnectionMode.Ssh;

    public string? ApiUrl { get; set; }

    /// <summary>slurmrestd API version, e.g. <c>0.0.42</c>.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>REST timeout in seconds.</summary>
    public double Timeout { get; set; } = 10;

    /// <summary>Extension: HS256 key file used to mint slurmrestd tokens when the user's JWT is not accepted by Slurm.</summary>
    public string? JwtKeyFile { get; set; }

    /// <summary>
    /// Extension: account charged when a request names none, the system needs one and the scheduler keeps no default
    /// for the user (PBS; on Slurm the association's default comes first).
    /// </summary>
    public string? DefaultAccount { get; set; }
}

/// <summary>Health checker service account (<c>service_account</c>).</summary>
public sealed class ServiceAccountSettings
{
    public string ClientId { get; set; } = "";

    [SecretFile]
    public string Secret { get; set; } = "";
}

/// <summary>Health probing settings (<c>probing</c>).</summary>
public sealed class ProbingSettings
{
    [ConfigKeyAlias("interval")]
    public double IntervalCheck { get; set; } = 120;

    /// <summary>Probed services by kind (never <see cref="HealthServiceType.Exception"/>); null = no gating.</summary>
    public Dictionary<HealthServiceType, ProbeSettings>? Services { get; set; }
}

public sealed class ProbeSettings
{
    /// <summary>Probe timeout in seconds.</summary>
    public double Timeout { get; set; } = 10;
}

/// <summary>A file system (<c>file_systems[]</c>).</summary>
public sealed class FileSystemSettings
{
    public string Path { get; set; } = "";

    /// <summary>What the file system holds.</summary>
    public FileSystemDataType DataType { get; set; } = FileSystemDataType.Users;

    /// <summary>Transfer jobs run in <c>{path}/{user}</c> of the file system that has this set.</summary>
    public bool DefaultWorkDir { get; set; }
}

/// <summary>Data operation settings (<c>data_operation</c>, snake_case only).</summary>
[SnakeCaseKeysOnly]
public sealed class DataOperationSettings
{
    /// <summary>Largest file for synchronous ops; also the SSH output limit.</summary>
    public long MaxOpsFileSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>Directives at the top of transfer job scripts; <c>{account}</c> is replaced.</summary>
    public List<string> DatatransferJobsDirectives { get; set; } = [];

    /// <summary>The data transfer service, or null.</summary>
    public DataTransferSettings? DataTransfer { get; set; }
}

/// <summary>Data transfer service (<c>data_transfer</c>, discriminated by <c>service_type</c>).</summary>
public sealed class DataTransferSettings
{
    /// <summary>The transfer method served; it selects which of the other keys are used.</summary>
    [ConfigDiscriminator]
    public TransferMethod ServiceType { get; set; } = TransferMethod.S3;

    /// <summary>S3: service name.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string? Name { get; set; }

    /// <summary>S3: endpoint used by jobs on the cluster.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string? PrivateUrl { get; set; }

    /// <summary>S3: endpoint given to users.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string? PublicUrl { get; set; }

    /// <summary>S3: access key id.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string? AccessKeyId { get; set; }

    /// <summary>S3: secret key.</summary>
    [UsedWhen(TransferMethod.S3)]
    [SecretFile]
    public string? SecretAccessKey { get; set; }

    /// <summary>S3: region.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string Region { get; set; } = "us-east-1";

    /// <summary>S3: presigned URL lifetime in seconds.</summary>
    [UsedWhen(TransferMethod.S3)]
    public int Ttl { get; set; } = 604800;

    /// <summary>S3: Ceph RGW tenant.</summary>
    [UsedWhen(TransferMethod.S3)]
    public string? Tenant { get; set; }

    /// <summary>S3: multipart settings.</summary>
    [UsedWhen(TransferMethod.S3)]
    public MultipartSettings Multipart { get; set; } = new();

    /// <summary>S3: bucket expiry rule.</summary>
    [UsedWhen(TransferMethod.S3)]
    public BucketLifecycleSettings BucketLifecycleConfiguration { get; set; } = new();

    /// <summary>Streamer/wormhole: package index.</summary>
    [UsedWhen(TransferMethod.Streamer, TransferMethod.Wormhole)]
    public string? PypiIndexUrl { get; set; }

    /// <summary>Streamer: host.</summary>
    [UsedWhen(TransferMethod.Streamer)]
    public string? Host { get; set; }

    /// <summary>Streamer: port range.</summary>
    [UsedWhen(TransferMethod.Streamer)]
    public List<int> PortRange { get; set; } = [5665, 5675];

    /// <summary>Streamer: public IPs.</summary>
    [UsedWhen(TransferMethod.Streamer)]
    public List<string> PublicIps { get; set; } = [];

    /// <summary>Streamer and S3: how long a transfer job waits for the client, in seconds (S3: capped by <see cref="Ttl"/>).</summary>
    [UsedWhen(TransferMethod.Streamer, TransferMethod.S3)]
    public int WaitTimeout { get; set; } = 86400;

    /// <summary>Streamer: inbound limit in bytes.</summary>
    [UsedWhen(TransferMethod.Streamer)]
    public long InboundTransferLimit { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>
    /// Streamer (extension): path on the compute nodes of this project's streamer program (<c>firecrest-streamer</c>),
    /// which the transfer job runs; unset: the job installs upstream's firecrest-streamer with pip, as upstream does.
    /// </summary>
    [UsedWhen(TransferMethod.Streamer)]
    public string? StreamerPath { get; set; }
}

/// <summary>S3 multipart settings (snake_case only).</summary>
[SnakeCaseKeysOnly]
public sealed class MultipartSettings
{
    /// <summary>Split with <c>split</c> instead of <c>dd</c>.</summary>
    public bool UseSplit { get; set; }

    /// <summary>Part size in bytes.</summary>
    public long MaxPartSize { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Parallel part uploads in the transfer job.</summary>
    public int ParallelRuns { get; set; } = 3;

    /// <summary>Temporary folder for parts.</summary>
    public string TmpFolder { get; set; } = "tmp";
}

[SnakeCaseKeysOnly]
public sealed class BucketLifecycleSettings
{
    /// <summary>Objects expire after this many days.</summary>
    public int Days { get; set; } = 10;
}
