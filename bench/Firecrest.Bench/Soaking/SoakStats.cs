using System.Collections.Concurrent;

namespace Firecrest.Bench.Soaking;

/// <summary>The operations of the soak mix.</summary>
public enum SoakOp
{
    /// <summary>GET status/systems.</summary>
    Systems,

    /// <summary>GET ops/ls of a 21-entry directory.</summary>
    Ls,

    /// <summary>GET ops/stat of a file.</summary>
    Stat,

    /// <summary>GET ops/head (10 lines).</summary>
    Head,

    /// <summary>POST ops/upload of a 1–8 KiB file.</summary>
    Upload,

    /// <summary>GET ops/download of the file just uploaded, compared byte for byte.</summary>
    Download,

    /// <summary>POST jobs, GET jobs/{id} until listed, DELETE jobs/{id} (one timing for the three).</summary>
    Job,
}

/// <summary>One error of the soak with when it first happened and how often.</summary>
/// <param name="Text">What failed.</param>
/// <param name="FirstAt">Time since the start of the load when it first happened.</param>
/// <param name="Count">How often.</param>
public sealed record SoakError(string Text, TimeSpan FirstAt, int Count);

/// <summary>Counters and latencies of the soak, shared by every client; the sampler drains the current interval.</summary>
public sealed class SoakStats
{
    private const int MaxDistinctErrors = 20;
    private readonly object _gate = new();
    private readonly List<double>[] _all = Enum.GetValues<SoakOp>().Select(_ => new List<double>()).ToArray();
    private readonly long[] _errorsByOp = new long[Enum.GetValues<SoakOp>().Length];
    private readonly ConcurrentDictionary<string, SoakError> _errors = new(StringComparer.Ordinal);
    private List<double> _interval = [];
    private long _intervalOps;
    private long _intervalErrors;
    private long _errorTotal;

    /// <summary>Records a successful operation. Jobs do not count towards the interval latencies (they poll).</summary>
    public void Success(SoakOp op, double milliseconds)
    {
        lock (_gate)
        {
            _all[(int)op].Add(milliseconds);
            _intervalOps++;
            if (op != SoakOp.Job) _interval.Add(milliseconds);
        }
    }

    /// <summary>Records a failed operation.</summary>
    public void Failure(SoakOp op, string text, TimeSpan at)
    {
        lock (_gate)
        {
            _errorsByOp[(int)op]++;
            _intervalErrors++;
            _errorTotal++;
        }
        var key = $"{op}: {text}";
        if (_errors.Count < MaxDistinctErrors || _errors.ContainsKey(key))
            _errors.AddOrUpdate(key, _ => new SoakError(key, at, 1), (_, e) => e with { Count = e.Count + 1 });
    }

    /// <summary>Operations, errors and request latencies since the previous call.</summary>
    public (long Ops, long Errors, double[] Latencies) Drain()
    {
        lock (_gate)
        {
            var r = (_intervalOps, _intervalErrors, _interval.ToArray());
            _interval = [];
            _intervalOps = 0;
            _intervalErrors = 0;
            return r;
        }
    }

    /// <summary>All errors so far.</summary>
    public long ErrorTotal { get { lock (_gate) return _errorTotal; } }

    /// <summary>Latencies and error count of one operation over the whole run.</summary>
    public (Latencies Latency, long Errors) Of(SoakOp op)
    {
        lock (_gate) return (new Latencies(_all[(int)op]), _errorsByOp[(int)op]);
    }

    /// <summary>The distinct errors (at most 20 kinds), most frequent first.</summary>
    public IReadOnlyList<SoakError> Errors => _errors.Values.OrderByDescending(e => e.Count).ToList();
}

/// <summary>One 10-second sample of the soak.</summary>
/// <param name="At">Time since the start of the load.</param>
/// <param name="Process">The server process at that moment.</param>
/// <param name="Ops">Operations finished in the interval (successful).</param>
/// <param name="Errors">Operations failed in the interval.</param>
/// <param name="Seconds">Length of the interval.</param>
/// <param name="Latencies">Latencies of the successful requests of the interval (jobs excluded), ms.</param>
/// <param name="Gc">The server's managed heap (EventCounters), or null without a diagnostics connection or before the first counters.</param>
public sealed record SoakSample(TimeSpan At, ProcessReading Process, long Ops, long Errors, double Seconds, double[] Latencies, GcReading? Gc = null);
