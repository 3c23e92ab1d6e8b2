using System.Diagnostics;

namespace Firecrest.Bench;

/// <summary>
/// Clocks of the CPU time (user + system, all threads) a process has used since it started, for CPU per operation:
/// a figure that moves with the code much more than with what else the shared machine runs.
/// </summary>
public static class ProcessCpu
{
    /// <summary>The CPU clock of process <paramref name="pid"/>.</summary>
    public static Func<TimeSpan> Of(int pid)
    {
        var process = Process.GetProcessById(pid);
        return () =>
        {
            process.Refresh();
            return process.TotalProcessorTime;
        };
    }

    /// <summary>The CPU clock of this process (the load generator, and the raw baselines' SSH.NET client).</summary>
    public static Func<TimeSpan> Self() => Of(Environment.ProcessId);
}
