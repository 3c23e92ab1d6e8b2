using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Firecrest.Core.Diagnostics;

/// <summary>Spans of S3 calls and transfer jobs; the transfer instruments.</summary>
internal static class TransferTelemetry
{
    private static readonly Counter<long> Bytes = FirecrestTelemetry.Meter.CreateCounter<long>(
        "firecrest.transfer.bytes", "By", "Bytes of the files staged for transfer through S3, by system and direction (upload: the announced size; download: the file's size).");

    private static readonly Histogram<double> Duration = FirecrestTelemetry.Meter.CreateHistogram<double>(
        "firecrest.transfer.duration", "s", "Time the server took to stage a transfer (checks, S3 multipart upload, presigning, job submission), by system, kind and outcome.");

    /// <summary>The span of one S3 call: <c>S3.&lt;operation&gt;</c> with the bucket; never a key or a URL.</summary>
    public static Activity? StartS3(string operation, string? system, string? bucket)
    {
        var activity = FirecrestTelemetry.Source.StartActivity("S3." + operation, ActivityKind.Client);
        if (activity is null) return null;
        if (system is not null) activity.SetTag(FirecrestTelemetry.SystemTag, system);
        activity.SetTag("rpc.system", "aws-api");
        activity.SetTag("rpc.service", "S3");
        activity.SetTag("rpc.method", operation);
        if (bucket is not null) activity.SetTag("aws.s3.bucket", bucket);
        return activity;
    }

    /// <summary>The span of a transfer: <c>transfer &lt;kind&gt;</c> (upload, download, move, copy, ...).</summary>
    public static Activity? Start(string kind, string system, string user)
    {
        var activity = FirecrestTelemetry.StartClientSpan("transfer " + kind, system, user);
        activity?.SetTag("firecrest.transfer.kind", kind);
        return activity;
    }

    public static void RecordBytes(string system, string direction, long bytes) =>
        Bytes.Add(bytes, new(FirecrestTelemetry.SystemTag, system), new("firecrest.transfer.direction", direction));

    public static void RecordDuration(string system, string kind, string outcome, TimeSpan duration) =>
        Duration.Record(duration.TotalSeconds,
            new(FirecrestTelemetry.SystemTag, system), new("firecrest.transfer.kind", kind), new("firecrest.outcome", outcome));
}
