using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Progress records with bytes and rate.</summary>
internal static class Progress
{
    public static ProgressRecord Bytes(int id, string activity, string item, long done, long total, Stopwatch clock)
    {
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var rate = done / seconds;
        var r = new ProgressRecord(id, activity, string.Create(CultureInfo.InvariantCulture,
            $"{item}: {Size(done)} of {Size(total)} ({Size((long)rate)}/s)"));
        if (total > 0)
        {
            r.PercentComplete = (int)Math.Clamp(done * 100 / total, 0, 100);
            if (rate > 0) r.SecondsRemaining = (int)Math.Clamp((total - done) / rate, 0, int.MaxValue);
        }
        return r;
    }

    public static ProgressRecord Done(int id, string activity) =>
        new(id, activity, "done") { RecordType = ProgressRecordType.Completed };

    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {units[u]}");
    }
}
