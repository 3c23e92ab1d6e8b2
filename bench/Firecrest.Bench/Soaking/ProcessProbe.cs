using System.Globalization;

namespace Firecrest.Bench.Soaking;

/// <summary>What /proc says about a process at one moment.</summary>
/// <param name="RssMiB">Resident set (VmRSS).</param>
/// <param name="HwmMiB">Peak resident set since start (VmHWM).</param>
/// <param name="Threads">Threads.</param>
/// <param name="Fds">Open file descriptors.</param>
/// <param name="SshConnections">Established TCP connections of the process to the SSH port.</param>
/// <param name="CpuSeconds">CPU time the process used since it started (user + system).</param>
/// <param name="MachineBusySeconds">CPU time all cores of the machine spent busy since boot (not idle or iowait).</param>
/// <param name="MachineTotalSeconds">CPU time of all cores of the machine since boot.</param>
public sealed record ProcessReading(double RssMiB, double HwmMiB, int Threads, int Fds, int SshConnections,
    double CpuSeconds, double MachineBusySeconds, double MachineTotalSeconds);

/// <summary>Reads /proc/PID/{status,fd} and the TCP tables for one process (Linux only).</summary>
public static class ProcessProbe
{
    /// <summary>Reads the process now.</summary>
    public static ProcessReading Read(int pid, int sshPort)
    {
        double rss = double.NaN, hwm = double.NaN;
        var threads = -1;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Field(line) / 1024.0;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Field(line) / 1024.0;
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Field(line);
        }
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var fds = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            fds++;
            string? target;
            try { target = new FileInfo(fd).LinkTarget; }
            catch (IOException) { continue; } // closed meanwhile
            catch (UnauthorizedAccessException) { continue; }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) sockets.Add(target[8..^1]);
        }
        var (busy, total) = MachineCpu();
        return new ProcessReading(rss, hwm, threads, fds, SshSockets(pid, sshPort, sockets), ProcessCpu(pid), busy, total);
    }

    // Clock ticks per second of /proc/*/stat and /proc/stat (USER_HZ, 100 on Linux).
    private const double Hz = 100.0;

    // /proc/PID/stat: "pid (comm) state ..." with utime and stime the 14th and 15th fields; comm may hold spaces.
    private static double ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture)) / Hz;
    }

    // /proc/stat "cpu  user nice system idle iowait irq softirq steal ...".
    private static (double Busy, double Total) MachineCpu()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = f.Sum();
        return ((total - f[3] - f[4]) / Hz, total / Hz);
    }

    // /proc/PID/net/tcp{,6}: "sl local_address rem_address st ... inode"; addresses are HEX_IP:HEX_PORT, st 01 = ESTABLISHED.
    private static int SshSockets(int pid, int sshPort, HashSet<string> inodes)
    {
        var port = sshPort.ToString("X4", CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var table in new[] { $"/proc/{pid}/net/tcp", $"/proc/{pid}/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != "01") continue;
                if (f[2].EndsWith(":" + port, StringComparison.Ordinal) && inodes.Contains(f[9])) count++;
            }
        }
        return count;
    }

    private static double Field(string line) =>
        double.Parse(line.Split(' ', '\t').Where(s => s.Length > 0).ElementAt(1), CultureInfo.InvariantCulture);
}
