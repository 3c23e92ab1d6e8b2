using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Models;

/// <summary>
/// A service the health checker probes (<c>servicesHealth[].serviceType</c> on the wire, the keys of
/// <c>probing.services</c> in the configuration) and that gates requests when unhealthy.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<HealthServiceType>))]
public enum HealthServiceType
{
    /// <summary>A command runs over SSH.</summary>
    [WireName("ssh")]
    Ssh,

    /// <summary>The scheduler answers a ping.</summary>
    [WireName("scheduler")]
    Scheduler,

    /// <summary>A file system is listable; one result per configured file system, with its path.</summary>
    [WireName("filesystem")]
    Filesystem,

    /// <summary>The S3 store of the data transfer service lists its buckets.</summary>
    [WireName("s3")]
    S3,

    /// <summary>The whole health run failed (for example the service token could not be fetched); gates nothing.</summary>
    [WireName("exception")]
    Exception,
}
