using System.Globalization;
using System.Management.Automation;
using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Operations;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>The file transfer client of the cmdlets, and its progress as PowerShell progress records.</summary>
internal static class FileTransfers
{
    /// <summary>One HTTP client for every presigned S3 URL (never carries a token); its timeout bounds one part.</summary>
    private static readonly HttpClient Presigned = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>A transfer client acting through <paramref name="operations"/>.</summary>
    public static FileTransferClient ClientFor(IHpcOperations operations) => new(operations, Presigned);

    /// <summary>A progress record: bytes, percent, rate and time left.</summary>
    public static ProgressRecord Record(int id, string activity, string item, TransferProgress p)
    {
        var status = p.Phase switch
        {
            TransferPhase.Uploading or TransferPhase.Downloading => string.Create(CultureInfo.InvariantCulture,
                $"{item}: {Progress.Size(p.BytesDone)} of {Progress.Size(p.TotalBytes)} ({Progress.Size((long)p.BytesPerSecond)}/s)"),
            TransferPhase.WaitingForJob => $"{item}: waiting for the transfer job on the cluster",
            TransferPhase.Verifying => $"{item}: comparing SHA-256",
            TransferPhase.Preparing => $"{item}: preparing",
            _ => $"{item}: done",
        };
        var r = new ProgressRecord(id, activity, status) { PercentComplete = (int)Math.Clamp(p.Percent, 0, 100) };
        if (p.EstimatedRemaining is { } left) r.SecondsRemaining = (int)Math.Clamp(left.TotalSeconds, 0, int.MaxValue);
        r.CurrentOperation = p.Phase.ToString();
        return r;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls an action on the reporting thread.</summary>
internal sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
