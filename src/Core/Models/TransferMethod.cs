using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Models;

/// <summary>
/// How a transfer moves data: <c>transferDirectives.transferMethod</c> on the wire and
/// <c>data_operation.data_transfer.service_type</c> in the configuration.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<TransferMethod>))]
public enum TransferMethod
{
    /// <summary>Staged through an S3 bucket with presigned URLs.</summary>
    [WireName("s3")]
    S3,

    /// <summary>Streamed between the client and a job on the cluster.</summary>
    [WireName("streamer")]
    Streamer,

    /// <summary>Magic Wormhole, paired by a code.</summary>
    [WireName("wormhole")]
    Wormhole,
}
