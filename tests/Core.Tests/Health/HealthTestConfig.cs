using Firecrest.Core.Models;
using Firecrest.Core.Configuration;

namespace Firecrest.Core.Tests.Health;

/// <summary>Settings for health checker tests.</summary>
internal static class HealthTestConfig
{
    public static ClusterSettings Cluster(string name, Dictionary<HealthServiceType, ProbeSettings>? services, params string[] fileSystems) => new()
    {
        Name = name,
        Ssh = new SshSettings { Host = "127.0.0.1", Port = 2222 },
        Scheduler = new SchedulerSettings { Version = "22.05.8" },
        ServiceAccount = new ServiceAccountSettings { ClientId = "svc", Secret = "pw" },
        Probing = new ProbingSettings { IntervalCheck = 60, Services = services },
        FileSystems = fileSystems.Select(p => new FileSystemSettings { Path = p }).ToList(),
        DataOperation = new DataOperationSettings
        {
            DataTransfer = new DataTransferSettings { ServiceType = TransferMethod.S3, PrivateUrl = "http://127.0.0.1:1", PublicUrl = "http://127.0.0.1:1", AccessKeyId = "k", SecretAccessKey = "s" },
        },
    };

    public static Dictionary<HealthServiceType, ProbeSettings> Services(double timeout = 5, params HealthServiceType[] kinds) =>
        (kinds.Length == 0 ? [HealthServiceType.Ssh, HealthServiceType.Scheduler, HealthServiceType.Filesystem, HealthServiceType.S3] : kinds).ToDictionary(k => k, _ => new ProbeSettings { Timeout = timeout });

    public static FirecrestSettings Settings(params ClusterSettings[] clusters) => new()
    {
        Auth = new AuthSettings { Authentication = new AuthenticationSettings { TokenUrl = "http://127.0.0.1:1/token" } },
        Clusters = clusters.ToList(),
    };
}
