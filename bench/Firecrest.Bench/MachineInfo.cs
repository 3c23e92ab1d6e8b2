using System.Runtime.InteropServices;

namespace Firecrest.Bench;

/// <summary>Facts about the machine the figures were taken on.</summary>
public static class MachineInfo
{
    /// <summary>CPU model and logical core count.</summary>
    public static string Cpu()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical cores";
    }

    /// <summary>Total memory from /proc/meminfo.</summary>
    public static string Memory()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        if (line is null) return "unknown";
        var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        return $"{kb / 1024 / 1024:0.0} GiB";
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The 1-minute load average; null where /proc/loadavg is missing.</summary>
    public static double? LoadAverage1() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;

    /// <summary>
    /// Median milliseconds to start <c>/bin/true</c> and wait for it, over <paramref name="starts"/> starts one after
    /// another: machines of one kind differ most in this, and every SSH command of the benchmarks starts processes.
    /// Null where <c>/bin/true</c> is missing.
    /// </summary>
    public static double? ProcessStartMilliseconds(int starts = 50)
    {
        if (!File.Exists("/bin/true")) return null;
        var times = new List<double>(starts);
        for (var i = 0; i < starts; i++)
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/true") { UseShellExecute = false });
            p!.WaitForExit();
            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>OS and runtime.</summary>
    public static string Os() => $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), .NET {Environment.Version}";
}
