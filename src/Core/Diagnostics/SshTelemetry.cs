using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace Firecrest.Core.Diagnostics;

/// <summary>
/// Spans and instruments of the SSH pool. The pool's gauges (connections, channels in use, reconnects) are read from
/// every live pool when a collector asks; the histograms are recorded as commands run.
/// </summary>
internal static partial class SshTelemetry
{
    private static readonly Histogram<double> QueueWait = FirecrestTelemetry.Meter.CreateHistogram<double>(
        "firecrest.ssh.queue.wait", "s", "Time a command waited for a connection and a free channel before it started.");

    private static readonly Histogram<double> CommandDuration = FirecrestTelemetry.Meter.CreateHistogram<double>(
        "firecrest.ssh.command.duration", "s", "Run time of SSH commands, by system, program name and outcome.");

    /// <summary>Sources of the observable instruments; each live pool adds itself and removes itself when disposed.</summary>
    internal static readonly System.Collections.Concurrent.ConcurrentDictionary<Ssh.SshConnectionPool, byte> LivePools = new();

    static SshTelemetry()
    {
        FirecrestTelemetry.Meter.CreateObservableUpDownCounter("firecrest.ssh.connections",
            () => Measure(s => s.Connections), "{connection}", "Open pooled SSH connections, by system.");
        FirecrestTelemetry.Meter.CreateObservableUpDownCounter("firecrest.ssh.channels.in_use",
            () => Measure(s => s.ChannelsInUse), "{channel}", "SSH channels running a command now, by system.");
        FirecrestTelemetry.Meter.CreateObservableCounter("firecrest.ssh.reconnects",
            () => Measure(s => s.Reconnects), "{connection}", "Connections opened to replace one that was lost or found dead, by system.");
    }

    /// <summary>Registers a pool with the observable instruments (the static constructor creates them once).</summary>
    public static void Register(Ssh.SshConnectionPool pool) => LivePools[pool] = 0;

    /// <summary>Removes a disposed pool.</summary>
    public static void Unregister(Ssh.SshConnectionPool pool) => LivePools.TryRemove(pool, out _);

    private static IEnumerable<Measurement<long>> Measure(Func<Ssh.SshPoolStatistics, long> value) =>
        LivePools.Keys.SelectMany(p => p.Statistics())
            .GroupBy(s => s.System, StringComparer.OrdinalIgnoreCase)
            .Select(g => new Measurement<long>(g.Sum(value), new KeyValuePair<string, object?>(FirecrestTelemetry.SystemTag, g.Key)));

    /// <summary>The span of one SSH command: <c>ssh &lt;program&gt;</c> with system, user and program name; never arguments.</summary>
    public static Activity? StartCommand(string system, string user, string program)
    {
        var activity = FirecrestTelemetry.StartClientSpan("ssh " + program, system, user);
        activity?.SetTag("firecrest.ssh.command", program);
        return activity;
    }

    public static void RecordQueueWait(string system, TimeSpan wait) =>
        QueueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(FirecrestTelemetry.SystemTag, system));

    public static void RecordCommand(string system, string program, string outcome, TimeSpan duration) =>
        CommandDuration.Record(duration.TotalSeconds,
            new(FirecrestTelemetry.SystemTag, system), new("firecrest.ssh.command", program), new("firecrest.outcome", outcome));

    /// <summary>
    /// The program a command line runs, for span names and metric labels: the first word after leading
    /// <c>NAME=value</c> assignments and the wrappers <c>timeout N</c>, <c>env</c>, <c>exec</c>, <c>command</c>, <c>nice</c>,
    /// without its directory. A first word that is not a plain program name (quoting, expansions, a compound
    /// command) gives <c>sh</c>, so no argument or user value can appear.
    /// </summary>
    public static string ProgramOf(string commandLine)
    {
        var words = commandLine.Split((char[]?)null, 8, StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        while (i < words.Length)
        {
            var w = words[i];
            if (Assignment().IsMatch(w)) { i++; continue; }
            if (w is "env" or "exec" or "command" or "nice") { i++; continue; }
            if (w == "timeout")
            {
                i++;
                while (i < words.Length && words[i].StartsWith('-')) i += words[i] is "-s" or "-k" ? 2 : 1;
                if (i < words.Length && Duration().IsMatch(words[i])) i++;
                continue;
            }
            // Quoted words (every user value is quoted) and anything with shell syntax give "sh", not a piece of a path.
            if (!PlainWord().IsMatch(w)) return "sh";
            var name = w[(w.LastIndexOf('/') + 1)..];
            return Program().IsMatch(name) ? name : "sh";
        }
        return "sh";
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.:/-]*\z")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?[smhd]?\z")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.+-]{0,63}\z")]
    private static partial Regex Program();

    [GeneratedRegex(@"^[A-Za-z0-9_./+-]+\z")]
    private static partial Regex PlainWord();
}
