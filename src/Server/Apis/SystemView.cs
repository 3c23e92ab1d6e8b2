using System.Text.Json.Serialization;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Json;

namespace Firecrest.Server.Apis;

/// <summary><c>{"systems": […]}</c>.</summary>
/// <param name="Systems">Systems.</param>
public sealed record SystemsResponse(IReadOnlyList<SystemView> Systems);

/// <summary>A system as upstream serialises <c>HPCCluster</c>: secrets masked, service account left out.</summary>
/// <param name="Name">System name.</param>
/// <param name="Ssh">SSH endpoint.</param>
/// <param name="Scheduler">Scheduler.</param>
/// <param name="ServicesHealth">Latest health results, null before the first run.</param>
/// <param name="Probing">Health probing.</param>
/// <param name="LastHealthCheck">When health was last checked.</param>
/// <param name="FileSystems">File systems.</param>
/// <param name="DataOperation">Data operation limits (snake_case keys, as upstream).</param>
public sealed record SystemView(
    string Name,
    SshView Ssh,
    SchedulerView Scheduler,
    IReadOnlyList<ServiceHealth>? ServicesHealth,
    ProbingView Probing,
    DateTimeOffset? LastHealthCheck,
    IReadOnlyList<FileSystemView> FileSystems,
    DataOperationView DataOperation)
{
    /// <summary>The mask of secret values.</summary>
    public const string Mask = "**********";

    /// <summary>Builds the view of <paramref name="c"/> with its latest health.</summary>
    public static SystemView From(ClusterSettings c, IHealthState health) => new(
        c.Name,
        new SshView(c.Ssh.Host, c.Ssh.Port, c.Ssh.ProxyHost, c.Ssh.ProxyPort, c.Ssh.MaxClients,
            new SshTimeoutView(c.Ssh.Timeout.Connection, c.Ssh.Timeout.Login, c.Ssh.Timeout.CommandExecution, c.Ssh.Timeout.IdleTimeout, c.Ssh.Timeout.KeepAlive)),
        new SchedulerView(c.Scheduler.Type.ToString().ToLowerInvariant(), c.Scheduler.ConnectionMode.ToString().ToLowerInvariant(),
            c.Scheduler.Version, c.Scheduler.ApiUrl, c.Scheduler.ApiVersion, c.Scheduler.Timeout),
        health.GetResults(c.Name),
        new ProbingView(c.Probing.Services?.ToDictionary(s => WireNames.Of(s.Key), s => new ProbeView(s.Value.Timeout)), c.Probing.IntervalCheck),
        health.LastRuns.TryGetValue(c.Name, out var last) ? last : null,
        c.FileSystems.Select(f => new FileSystemView(f.Path, f.DataType, f.DefaultWorkDir)).ToList(),
        new DataOperationView(c.DataOperation.DatatransferJobsDirectives, c.DataOperation.MaxOpsFileSize, DataTransferView(c.DataOperation.DataTransfer)));

    private static object? DataTransferView(DataTransferSettings? d) => d?.ServiceType switch
    {
        null => null,
        TransferMethod.Streamer => new StreamerView(d.ServiceType, d.PypiIndexUrl, d.Host, d.PortRange, d.PublicIps, d.WaitTimeout, d.InboundTransferLimit),
        TransferMethod.Wormhole => new WormholeView(d.ServiceType, d.PypiIndexUrl),
        _ => new S3View(d.ServiceType, d.Name, Masked(d.PrivateUrl), d.PublicUrl, Masked(d.AccessKeyId), Masked(d.SecretAccessKey),
            d.Region, d.Ttl, d.Tenant,
            new MultipartView(d.Multipart.UseSplit, d.Multipart.MaxPartSize, d.Multipart.ParallelRuns, d.Multipart.TmpFolder),
            new LifecycleView(d.BucketLifecycleConfiguration.Days)),
    };

    private static string? Masked(string? secret) => secret is null ? null : Mask;
}

/// <summary>SSH part of <see cref="SystemView"/>.</summary>
/// <param name="Host">Host.</param>
/// <param name="Port">Port.</param>
/// <param name="ProxyHost">Jump host.</param>
/// <param name="ProxyPort">Jump host port.</param>
/// <param name="MaxClients">Connection cap.</param>
/// <param name="Timeout">Timeouts (seconds).</param>
public sealed record SshView(string Host, int Port, string? ProxyHost, int? ProxyPort, int MaxClients, SshTimeoutView Timeout);

/// <summary>SSH timeouts in seconds.</summary>
/// <param name="Connection">Connect.</param>
/// <param name="Login">Login.</param>
/// <param name="CommandExecution">One command.</param>
/// <param name="IdleTimeout">Idle close.</param>
/// <param name="KeepAlive">Keepalive.</param>
public sealed record SshTimeoutView(double Connection, double Login, double CommandExecution, double IdleTimeout, double KeepAlive);

/// <summary>Scheduler part of <see cref="SystemView"/>.</summary>
/// <param name="Type">slurm or pbs.</param>
/// <param name="ConnectionMode">ssh, rest or hybrid.</param>
/// <param name="Version">Version.</param>
/// <param name="ApiUrl">slurmrestd URL.</param>
/// <param name="ApiVersion">slurmrestd API version.</param>
/// <param name="Timeout">REST timeout.</param>
public sealed record SchedulerView(string Type, string ConnectionMode, string Version, string? ApiUrl, string? ApiVersion, double Timeout);

/// <summary>Probing part of <see cref="SystemView"/>.</summary>
/// <param name="Services">Probed services, or null.</param>
/// <param name="IntervalCheck">Seconds between runs.</param>
public sealed record ProbingView(IReadOnlyDictionary<string, ProbeView>? Services, double IntervalCheck);

/// <summary>One probed service.</summary>
/// <param name="Timeout">Probe timeout.</param>
public sealed record ProbeView(double Timeout);

/// <summary>A file system.</summary>
/// <param name="Path">Mount path.</param>
/// <param name="DataType">Data type.</param>
/// <param name="DefaultWorkDir">Transfer jobs run here.</param>
public sealed record FileSystemView(string Path, FileSystemDataType DataType, bool DefaultWorkDir);

/// <summary>Data operation settings (snake_case keys, as upstream's plain model).</summary>
/// <param name="DatatransferJobsDirectives">Directives of transfer jobs.</param>
/// <param name="MaxOpsFileSize">Largest file for synchronous ops.</param>
/// <param name="DataTransfer">The data transfer service, or null.</param>
public sealed record DataOperationView(
    [property: JsonPropertyName("datatransfer_jobs_directives")] IReadOnlyList<string> DatatransferJobsDirectives,
    [property: JsonPropertyName("max_ops_file_size")] long MaxOpsFileSize,
    [property: JsonPropertyName("data_transfer")] object? DataTransfer);

/// <summary>S3 data transfer (secrets masked).</summary>
/// <param name="ServiceType">s3.</param>
/// <param name="Name">Service name.</param>
/// <param name="PrivateUrl">Masked.</param>
/// <param name="PublicUrl">Public endpoint.</param>
/// <param name="AccessKeyId">Masked.</param>
/// <param name="SecretAccessKey">Masked.</param>
/// <param name="Region">Region.</param>
/// <param name="Ttl">Presigned URL lifetime.</param>
/// <param name="Tenant">Tenant.</param>
/// <param name="Multipart">Multipart settings.</param>
/// <param name="BucketLifecycleConfiguration">Expiry rule.</param>
public sealed record S3View(TransferMethod ServiceType, string? Name, string? PrivateUrl, string? PublicUrl, string? AccessKeyId, string? SecretAccessKey,
    string Region, int Ttl, string? Tenant, MultipartView Multipart, LifecycleView BucketLifecycleConfiguration);

/// <summary>Multipart settings (snake_case keys, as upstream).</summary>
/// <param name="UseSplit">Use split.</param>
/// <param name="MaxPartSize">Part size.</param>
/// <param name="ParallelRuns">Parallel uploads.</param>
/// <param name="TmpFolder">Temporary folder.</param>
public sealed record MultipartView(
    [property: JsonPropertyName("use_split")] bool UseSplit,
    [property: JsonPropertyName("max_part_size")] long MaxPartSize,
    [property: JsonPropertyName("parallel_runs")] int ParallelRuns,
    [property: JsonPropertyName("tmp_folder")] string TmpFolder);

/// <summary>Bucket expiry rule.</summary>
/// <param name="Days">Days.</param>
public sealed record LifecycleView(int Days);

/// <summary>Streamer data transfer.</summary>
/// <param name="ServiceType">streamer.</param>
/// <param name="PypiIndexUrl">Package index.</param>
/// <param name="Host">Host.</param>
/// <param name="PortRange">Port range.</param>
/// <param name="PublicIps">Public IPs.</param>
/// <param name="WaitTimeout">Wait timeout.</param>
/// <param name="InboundTransferLimit">Inbound limit.</param>
public sealed record StreamerView(TransferMethod ServiceType, string? PypiIndexUrl, string? Host, IReadOnlyList<int> PortRange, IReadOnlyList<string> PublicIps,
    int WaitTimeout, long InboundTransferLimit);

/// <summary>Wormhole data transfer.</summary>
/// <param name="ServiceType">wormhole.</param>
/// <param name="PypiIndexUrl">Package index.</param>
public sealed record WormholeView(TransferMethod ServiceType, string? PypiIndexUrl);
