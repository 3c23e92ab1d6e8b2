using System.Collections.Concurrent;
using System.Diagnostics;

namespace Firecrest.Bench;

/// <summary>Outcome of a closed-loop load run.</summary>
/// <param name="Completed">Operations that succeeded inside the measured window.</param>
/// <param name="Errors">Operations that failed inside the measured window.</param>
/// <param name="Window">Length of the measured window.</param>
/// <param name="Latency">Latencies of the successful operations.</param>
/// <param name="ErrorSamples">Up to a few distinct error descriptions with their counts.</param>
/// <param name="Cpu">CPU time the watched process used during the window, when a CPU clock was given.</param>
/// <param name="Allocated">Bytes this process (the load generator) allocated during the window, when a CPU clock was given.</param>
public sealed record LoadResult(long Completed, long Errors, TimeSpan Window, Latencies Latency, IReadOnlyDictionary<string, int> ErrorSamples,
    TimeSpan? Cpu = null, long? Allocated = null)
{
    /// <summary>Successful operations per second.</summary>
    public double PerSecond => Completed / Window.TotalSeconds;

    /// <summary>Milliseconds of the watched process's CPU per successful operation (NaN without a CPU clock or operations).</summary>
    public double CpuMsPerOperation => Cpu is { } cpu && Completed > 0 ? cpu.TotalMilliseconds / Completed : double.NaN;

    /// <summary>Kilobytes this process allocated per successful operation (NaN when not measured or no operations).</summary>
    public double AllocatedKbPerOperation => Allocated is { } bytes && Completed > 0 ? bytes / 1024.0 / Completed : double.NaN;
}

/// <summary>
/// Closed-loop load: <c>workers</c> loops each run one operation after another for warm-up plus the window; only
/// operations that end inside the window count. Every operation has a deadline, so a run always ends. Unless told to let
/// them finish, the operations still running when the window closes are cancelled then, since none of them could count
/// (under 500 queued clients each would otherwise hold the run for about one latency, some 10 s, after the window).
/// </summary>
public static class LoadRunner
{
    /// <summary>
    /// Runs <paramref name="operation"/> (worker index, cancellation) → error text or null on success. With
    /// <paramref name="cpuClock"/> (see <see cref="ProcessCpu"/>), it and this process's allocated bytes are read when the
    /// window opens and when it closes. <paramref name="atWindowClose"/> runs when the window closes, before the
    /// operations still running are cancelled (a reading of the load itself, not of its cancellation). With
    /// <paramref name="letRunningFinish"/>, they are not cancelled: a load whose system under test outlives the run (a
    /// server measured again in the next round) is not left to clean up after hundreds of aborted requests.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int workers, TimeSpan warmup, TimeSpan window, TimeSpan operationDeadline,
        Func<int, CancellationToken, Task<string?>> operation, Func<TimeSpan>? cpuClock, CancellationToken cancellationToken,
        Action? atWindowClose = null, bool letRunningFinish = false)
    {
        var clock = Stopwatch.StartNew();
        var start = warmup;
        var end = warmup + window;
        using var windowClosed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var meters = MeasureWindowAsync(cpuClock, atWindowClose, letRunningFinish ? null : windowClosed, clock, start, end, cancellationToken);
        var latencies = new List<double>[workers];
        var errors = new ConcurrentDictionary<string, int>();
        long completed = 0, failed = 0;
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            latencies[w] = [];
            tasks[w] = Task.Run(async () =>
            {
                while (clock.Elapsed < end && !cancellationToken.IsCancellationRequested)
                {
                    var t0 = clock.Elapsed;
                    string? error;
                    using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(windowClosed.Token))
                    {
                        deadline.CancelAfter(operationDeadline);
                        try { error = await operation(worker, deadline.Token).ConfigureAwait(false); }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { error = $"no answer within {operationDeadline.TotalSeconds:0} s"; }
                        catch (Exception e) when (e is not OperationCanceledException) { error = e.GetType().Name + ": " + FirstLine(e.Message); }
                    }
                    var t1 = clock.Elapsed;
                    if (t1 < start || t1 > end) continue;
                    if (error is null)
                    {
                        Interlocked.Increment(ref completed);
                        latencies[worker].Add((t1 - t0).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        if (errors.Count < 8 || errors.ContainsKey(error)) errors.AddOrUpdate(error, 1, (_, n) => n + 1);
                    }
                }
            }, cancellationToken);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var (cpu, allocated) = await meters.ConfigureAwait(false);
        return new LoadResult(completed, failed, window, new Latencies(latencies.SelectMany(l => l)), errors, cpu, allocated);
    }

    // Reads the meters when the window opens and closes, then cancels the operations still running (given windowClosed).
    private static async Task<(TimeSpan?, long?)> MeasureWindowAsync(Func<TimeSpan>? cpuClock, Action? atWindowClose, CancellationTokenSource? windowClosed,
        Stopwatch clock, TimeSpan start, TimeSpan end, CancellationToken cancellationToken)
    {
        await Task.Delay(Max(TimeSpan.Zero, start - clock.Elapsed), cancellationToken).ConfigureAwait(false);
        var (cpu0, allocated0) = (cpuClock?.Invoke(), GC.GetTotalAllocatedBytes());
        await Task.Delay(Max(TimeSpan.Zero, end - clock.Elapsed), cancellationToken).ConfigureAwait(false);
        // Past the end by the stopwatch itself (a timer may wake a little early): no operation cancelled below ends inside the window.
        while (clock.Elapsed <= end) await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        var (cpu1, allocated1) = (cpuClock?.Invoke(), GC.GetTotalAllocatedBytes());
        atWindowClose?.Invoke();
        if (windowClosed is not null) await windowClosed.CancelAsync().ConfigureAwait(false);
        return cpuClock is null ? (null, null) : (cpu1 - cpu0, allocated1 - allocated0);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Times <paramref name="operation"/> <paramref name="count"/> times one after another (after <paramref name="warmup"/> untimed runs).</summary>
    public static async Task<Latencies> SequentialAsync(int warmup, int count, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        for (var i = 0; i < warmup; i++) await operation(cancellationToken).ConfigureAwait(false);
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await operation(cancellationToken).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        return new Latencies(samples);
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        var line = i < 0 ? s : s[..i];
        return line.Length > 160 ? line[..160] : line;
    }
}
