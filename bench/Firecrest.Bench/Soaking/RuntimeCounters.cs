using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Firecrest.Bench.Soaking;

/// <summary>The server's managed heap at one moment, from its System.Runtime EventCounters (latest 10-second values).</summary>
/// <param name="HeapMiB">gc-heap-size: bytes allocated on the GC heap (all generations, dead objects of gen 0 included).</param>
/// <param name="Gen2MiB">gen-2-size: gen 2 after the last collection.</param>
/// <param name="LohMiB">loh-size: large object heap after the last collection.</param>
/// <param name="CommittedMiB">gc-committed: memory the GC has committed.</param>
/// <param name="WorkingSetMiB">working-set as the runtime sees it.</param>
/// <param name="AllocMiBPerSecond">alloc-rate.</param>
/// <param name="TimeInGcPercent">time-in-gc: share of time in GC since the previous collection.</param>
/// <param name="Gen2Collections">gen-2-gc-count so far (sum of the increments seen).</param>
public sealed record GcReading(double HeapMiB, double Gen2MiB, double LohMiB, double CommittedMiB, double WorkingSetMiB,
    double AllocMiBPerSecond, double TimeInGcPercent, double Gen2Collections)
{
    /// <summary>Retained heap: gen 2 plus the large object heap.</summary>
    public double RetainedMiB => Gen2MiB + LohMiB;
}

/// <summary>Gen 2 + LOH + POH right after one gen-2 collection (a full collection: what survives is live or rooted).</summary>
/// <param name="At">When the collection ended, as time since the start of the load.</param>
/// <param name="RetainedMiB">Gen 2 + large + pinned object heaps after the collection.</param>
public sealed record FullGcPoint(TimeSpan At, double RetainedMiB);

/// <summary>The server's live managed heap, measured right after a full blocking collection the benchmark induced.</summary>
/// <param name="At">When the collection ended, as time since the start of the load.</param>
/// <param name="LiveMiB">Bytes that survived the collection in all generations (gen 0, 1, 2, LOH and POH): the reachable objects.</param>
public sealed record LiveHeapPoint(TimeSpan At, double LiveMiB);

/// <summary>
/// Subscribes to a .NET process's System.Runtime EventCounters (every 10 s) and its GC events through the diagnostics
/// port (EventPipe); nothing in the server changes. Fails softly: when the port does not answer (e.g.
/// DOTNET_EnableDiagnostics=0), <see cref="Failure"/> says why and the readings stay null.
/// </summary>
public sealed class RuntimeCounters : IAsyncDisposable
{
    private const double MiB = 1024.0 * 1024.0;
    private readonly ConcurrentDictionary<string, double> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, (int Depth, GCReason Reason)> _startedGcs = new();
    private readonly List<FullGcPoint> _fullGcs = [];
    private readonly List<LiveHeapPoint> _live = [];
    private readonly Func<TimeSpan> _clock;
    private readonly int _pid;
    private EventPipeSession? _session;
    private Task? _pump;
    private (int Depth, GCReason Reason) _lastEnded = (-1, GCReason.AllocSmall);
    private double _gen2Count;

    private RuntimeCounters(int pid, Func<TimeSpan> clock)
    {
        _pid = pid;
        _clock = clock;
    }

    /// <summary>Why the counters are not available, or null when they are.</summary>
    public string? Failure { get; private set; }

    /// <summary>Starts listening to process <paramref name="pid"/> with counters every <paramref name="interval"/>; never throws.</summary>
    public static async Task<RuntimeCounters> StartAsync(int pid, TimeSpan interval, Func<TimeSpan> clock, CancellationToken ct)
    {
        var c = new RuntimeCounters(pid, clock);
        var providers = new[]
        {
            new EventPipeProvider("System.Runtime", EventLevel.Informational, 0,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = interval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC),
        };
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connect.CancelAfter(TimeSpan.FromSeconds(15));
            c._session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 64, connect.Token);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or TimeoutException or IOException or OperationCanceledException)
        {
            c.Failure = $"the diagnostics port of process {pid} did not answer ({e.GetType().Name}: {e.Message.Split('\n')[0].Split(". ")[0].TrimEnd('.')})";
            return c;
        }
        var source = new EventPipeEventSource(c._session.EventStream);
        source.Dynamic.All += c.OnEvent;
        source.Clr.GCStart += d => c._startedGcs[d.Count] = (d.Depth, d.Reason);
        source.Clr.GCStop += d => c._lastEnded = c._startedGcs.TryRemove(d.Count, out var started) ? started : (-1, GCReason.AllocSmall);
        source.Clr.GCHeapStats += c.OnHeapStats;
        c._pump = Task.Run(() =>
        {
            try { source.Process(); }
            catch (Exception e) when (e is not OutOfMemoryException) { c.Failure ??= "the EventPipe stream broke: " + e.Message.Split('\n')[0]; }
            finally { source.Dispose(); }
        }, CancellationToken.None);
        return c;
    }

    /// <summary>The latest values, or null before the first counters arrived (or without a connection).</summary>
    public GcReading? Read()
    {
        if (Failure is not null || !_latest.ContainsKey("gen-2-size")) return null;
        double V(string name) => _latest.TryGetValue(name, out var v) ? v : double.NaN;
        return new GcReading(V("gc-heap-size"), V("gen-2-size"), V("loh-size"), V("gc-committed"), V("working-set"),
            V("alloc-rate"), V("time-in-gc"), Volatile.Read(ref _gen2Count));
    }

    /// <summary>Gen 2 + LOH + POH after every gen-2 collection seen so far.</summary>
    public IReadOnlyList<FullGcPoint> FullCollections
    {
        get { lock (_fullGcs) return _fullGcs.ToList(); }
    }

    /// <summary>The live heap after every collection induced by <see cref="InduceFullCollectionAsync"/> so far.</summary>
    public IReadOnlyList<LiveHeapPoint> LiveHeap
    {
        get { lock (_live) return _live.ToList(); }
    }

    /// <summary>
    /// Makes the server run one full, blocking collection, as dotnet-gcdump does (a second EventPipe session with the
    /// runtime's GCHeapCollect keyword, without the heap walk), and waits up to 30 s until its heap statistics arrived
    /// in <see cref="LiveHeap"/>. Returns the new point, or null when there is no connection or it did not arrive.
    /// </summary>
    public async Task<LiveHeapPoint?> InduceFullCollectionAsync(CancellationToken ct)
    {
        if (Failure is not null || _session is null) return null;
        int before;
        lock (_live) before = _live.Count;
        EventPipeSession? trigger = null;
        try
        {
            var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GCHeapCollect);
            trigger = await new DiagnosticsClient(_pid).StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 1, ct);
            var drain = trigger.EventStream.CopyToAsync(Stream.Null, CancellationToken.None);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                lock (_live) if (_live.Count > before) break;
                await Task.Delay(100, ct);
            }
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await trigger.StopAsync(stop.Token);
            await drain.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or TimeoutException or IOException)
        {
            return null;
        }
        finally
        {
            trigger?.Dispose();
        }
        lock (_live) return _live.Count > before ? _live[^1] : null;
    }

    /// <summary>Ends the EventPipe session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_session is null) return;
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _session.StopAsync(stop.Token);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or OperationCanceledException or ServerErrorException)
        {
            // the server may already be gone
        }
        if (_pump is not null) await _pump.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _session.Dispose();
    }

    // EventCounters payload: {Name, DisplayUnits, Mean | Increment, ...}; MB is 10^6 bytes, B bytes.
    private void OnEvent(TraceEvent e)
    {
        if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer
            || outer.TryGetValue("Payload", out var inner) is false || inner is not IDictionary<string, object> f) return;
        if (f.TryGetValue("Name", out var n) is false || n is not string name) return;
        var isSum = f.TryGetValue("Increment", out var inc);
        var raw = Convert.ToDouble(isSum ? inc : f.TryGetValue("Mean", out var mean) ? mean : double.NaN, System.Globalization.CultureInfo.InvariantCulture);
        var units = f.TryGetValue("DisplayUnits", out var u) ? u as string : null;
        var seconds = f.TryGetValue("IntervalSec", out var s) ? Convert.ToDouble(s, System.Globalization.CultureInfo.InvariantCulture) : 10;
        if (name == "gen-2-gc-count") { _gen2Count += raw; return; }
        var value = units switch
        {
            "MB" => raw * 1e6 / MiB,
            "B" when isSum => raw / MiB / seconds, // alloc-rate: bytes in the interval → MiB/s
            "B" => raw / MiB,
            _ => raw,
        };
        _latest[name] = value;
    }

    private void OnHeapStats(GCHeapStatsTraceData d)
    {
        var (depth, reason) = _lastEnded;
        if (depth != 2) return;
        var at = _clock();
        lock (_fullGcs) _fullGcs.Add(new FullGcPoint(at, (d.GenerationSize2 + d.GenerationSize3 + d.GenerationSize4) / MiB));
        if (reason != GCReason.Induced) return;
        // In a gen-2 collection every generation is collected, so what was promoted out of each is what is reachable.
        var live = d.TotalPromotedSize0 + d.TotalPromotedSize1 + d.TotalPromotedSize2 + d.TotalPromotedSize3 + d.TotalPromotedSize4;
        lock (_live) _live.Add(new LiveHeapPoint(at, live / MiB));
    }
}
