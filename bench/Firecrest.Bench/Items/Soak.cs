using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Bench.Soaking;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Soak (issue #11, not part of the default run): <c>--soak-clients</c> closed-loop clients over both users for
/// <c>--soak-minutes</c> with a realistic mix and think time, the server process sampled every 10 s; the verdict and a
/// per-minute table go to <c>--soak-out</c> (docs/soak.md).
/// </summary>
public static class Soak
{
    /// <summary>Each client submits one job this often (first one at a random offset), cancelled once listed.</summary>
    public static readonly TimeSpan JobInterval = TimeSpan.FromMinutes(10);

    /// <summary>Time between two samples of the server process.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);

    /// <summary>How often the benchmark makes the server run a full blocking collection to measure its live heap.</summary>
    public static readonly TimeSpan LiveHeapInterval = TimeSpan.FromSeconds(60);

    /// <summary>Deadline of one operation (a job: submit until cancelled).</summary>
    public static readonly TimeSpan OperationDeadline = TimeSpan.FromSeconds(60);

    private const string JobName = "f7t-bench-soak";
    private const string Mix = "15 % GET status/systems, 25 % ops/ls of a 21-entry directory, 25 % ops/stat, 20 % ops/head -n 10, 15 % ops/upload of a 1–8 KiB file followed by ops/download of it (checked byte for byte)";

    private static string Directory(string user) => BenchContext.HomeOf(user) + "/f7t-soak";

    /// <summary>Runs the soak and writes its report.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw1, RawSsh raw2, CancellationToken ct)
    {
        var duration = TimeSpan.FromMinutes(ctx.Options.SoakMinutes);
        var clients = ctx.Options.SoakClients;
        var server = ctx.RunningServer;
        var sshPort = int.Parse(ctx.Env["SSH_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        var raws = new[] { raw1, raw2 };
        foreach (var r in raws) await PrepareAsync(r, ct);
        var tokens = new[] { new RefreshingToken(ctx.Tokens, ctx.User1), new RefreshingToken(ctx.Tokens, ctx.User2) };
        foreach (var t in tokens) await t.GetAsync(ct);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var stats = new SoakStats();
        var samples = new List<SoakSample>();
        var jobs = new JobCounters();
        var loadBefore = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await using var counters = await RuntimeCounters.StartAsync(server.Pid, SampleInterval, () => clock.Elapsed, ct);
        if (counters.Failure is not null) Console.WriteLine($"  [soak] no GC counters, the memory verdict falls back to RSS: {counters.Failure}");
        samples.Add(new SoakSample(TimeSpan.Zero, ProcessProbe.Read(server.Pid, sshPort), 0, 0, 0, [], counters.Read()));
        Console.WriteLine($"  [soak] {clients} clients for {duration.TotalMinutes:0.#} min; RSS before the load {Report.Num(samples[0].Process.RssMiB, "0")} MiB");

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = SampleAsync(server.Pid, sshPort, counters, clock, stats, samples, stopSampling.Token);
        var census = LiveHeapAsync(counters, stopSampling.Token);
        var session = new Session(ctx, http, tokens, stats, clock, duration, jobs);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(w => Task.Run(() => session.ClientAsync(w, ct), ct)));
        var loadEnd = clock.Elapsed;
        stopSampling.Cancel();
        await sampler;
        await census;
        lock (samples) samples.Add(Sample(server.Pid, sshPort, counters, loadEnd, stats, samples[^1]));
        var loadAfter = MachineInfo.LoadAverage();

        var leftover = 0;
        foreach (var r in raws) leftover += await CleanUpAsync(r, CancellationToken.None);

        var warmup = TimeSpan.FromMinutes(ctx.Options.SoakWarmupMinutes);
        var verdict = SoakVerdict.Judge(samples, counters.FullCollections, counters.LiveHeap, counters.Failure, duration, warmup, stats.ErrorTotal);
        var run = new SoakRun(
            [
                ("Date (UTC)", $"{started:yyyy-MM-dd HH:mm}, load for {duration.TotalMinutes:0.#} min (ended after {loadEnd.TotalMinutes:0.0} min: clients finish the operation in flight)"),
                ("Clients", $"{clients} closed-loop clients, even ones as {ctx.User1} and odd ones as {ctx.User2}, {clients} HTTP connections"),
                ("Mix", Mix + $"; plus one job per client every {JobInterval.TotalMinutes:0} min (first at a random offset): POST compute/{BenchContext.System}/jobs (`sleep 300`), GET jobs/{{id}} every 500 ms until listed, DELETE jobs/{{id}}"),
                ("Think time", $"uniform {ctx.Options.SoakThinkMs.MinMs}–{ctx.Options.SoakThinkMs.MaxMs} ms after every operation (set with --soak-think-ms; a client is never idle long enough for its keep-alive connection to close)"),
                ("Jobs", $"{jobs.Submitted} submitted, {jobs.Cancelled} cancelled through the API; {leftover} still pending or running at the end (cancelled by the clean-up)"),
                ("Machine", MachineInfo.Cpu() + ", " + MachineInfo.Memory() + " RAM; " + MachineInfo.Os()),
                ("Load average (1/5/15 min) before / after", $"{loadBefore} → {loadAfter}"),
                ("Server", $"{ServerProcess.Command(ctx.Options.ServerPath ?? "Firecrest.Server.dll")} (Release build) as its own process on 127.0.0.1, configured by the local cluster's YAML; per-user rate limit raised to {ServerProcess.BenchRateLimit:N0} req/s; SSH pool: one connection per user, at most {ctx.ChannelsPerConnection} channels each"),
                ("Peak RSS (VmHWM) at the end", Report.Num(samples[^1].Process.HwmMiB, "0") + " MiB"),
            ],
            [
                "Every 10 s the benchmark reads the server process's /proc/PID/status (VmRSS, VmHWM, Threads), counts /proc/PID/fd, counts its established TCP connections to the SSH port (socket inodes of /proc/PID/fd matched in /proc/PID/net/tcp{,6}), reads its CPU time (/proc/PID/stat) and the machine's (/proc/stat), and takes the operations, errors and latencies of the interval. It also listens to the server's diagnostics port (EventPipe, Microsoft.Diagnostics.NETCore.Client; nothing in the server changes) for its System.Runtime EventCounters every 10 s (gc-heap-size, gen-2-size, loh-size, gc-committed, working-set, alloc-rate, time-in-gc) and its GC events at Informational level (gen 2 + LOH + POH after every full collection). " +
                    $"Every {LiveHeapInterval.TotalSeconds:0} s it makes the server run one full blocking collection, as dotnet-gcdump does (an EventPipe session with the runtime's GCHeapCollect keyword, no heap walk), and reads from that collection's heap statistics the bytes that survived in every generation: the live heap, free of the dead objects gen 2 keeps between the rare full collections of a busy server (in the 30-minute run before this measure, gen 2 + LOH from the counters rose 8.9 → 12.6 MiB while dotnet-gcdump snapshots of a run like it stayed at 10.8–11.8 MiB)." + (counters.Failure is null ? "" : $" In this run that connection failed ({counters.Failure}), so RSS alone judges memory."),
                $"Memory is flat when, after a warm-up of {SoakVerdict.WarmupOf(duration, warmup).TotalMinutes:0.#} min (--soak-warmup-minutes, default 2, at most a fifth of the run), (1) the live managed heap has a mean in the last window at most {SoakVerdict.MaxGrowthShare:P0} of the first window's mean + {SoakVerdict.HeapSlackMiB:0} MiB above it, (2) its least-squares slope over the post-warm-up period, projected over that period, stays within the same limit, and (3) RSS in the second half never exceeds the first half's VmHWM by more than {SoakVerdict.MaxNewPeakShare:P0} (windows: 5 min, or a third of the post-warm-up period of a shorter run). Gen 2 + LOH from the counters (after the latest collection, and after full collections) is shown against the same limit but informative, as are the RSS means, slope and spread: the GC grows its committed budget under load and keeps it, so RSS rises without a leak; a leak shows in the live heap. Without live-heap points the retained heap from the counters judges; without GC counters the RSS criteria judge instead (mean and slope within {SoakVerdict.MaxGrowthShare:P0} of the first window, spread over the last half within {SoakVerdict.MaxSpreadShare:P0}, and the peak rule). Descriptors and threads must not grow by more than {SoakVerdict.MaxCountFactor:0.00}× + {SoakVerdict.CountSlack}. Any error fails the soak: a non-2xx answer, a wrong body, a download that differs from the upload, no answer within {OperationDeadline.TotalSeconds:0} s.",
            ],
            stats, duration);
        var markdown = SoakMarkdown.Write(run, verdict, samples, counters.LiveHeap);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (ctx.Options.SoakOutPath is { } outPath)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            await File.WriteAllTextAsync(outPath, markdown, CancellationToken.None);
            Console.WriteLine($"written {outPath}");
        }
        foreach (var c in verdict.Judged) ctx.Report.Single("soak", c.Criterion, c.Measured, c.Threshold, c.Met);
        if (!verdict.Passed)
            throw new InvalidOperationException("soak not passed: " + string.Join("; ", verdict.Judged.Where(c => !c.Met).Select(c => c.Criterion.Split(':')[0] + " " + c.Measured)));
    }

    private static async Task SampleAsync(int pid, int sshPort, RuntimeCounters counters, Stopwatch clock, SoakStats stats, List<SoakSample> samples, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                SoakSample s;
                lock (samples)
                {
                    s = Sample(pid, sshPort, counters, clock.Elapsed, stats, samples[^1]);
                    samples.Add(s);
                }
                Console.WriteLine(SoakMarkdown.Line(s, samples.Count > 1 ? samples[^2] : null));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the load ended
        }
    }

    // Induces a full collection every LiveHeapInterval until the load ends, and once more at the end.
    private static async Task LiveHeapAsync(RuntimeCounters counters, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(LiveHeapInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (await counters.InduceFullCollectionAsync(ct) is { } p)
                    Console.WriteLine($"  [soak] {p.At:mm\\:ss} live heap after an induced full collection: {Report.Num(p.LiveMiB, "0.0")} MiB");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the load ended
        }
        await counters.InduceFullCollectionAsync(CancellationToken.None);
    }

    private static SoakSample Sample(int pid, int sshPort, RuntimeCounters counters, TimeSpan at, SoakStats stats, SoakSample previous)
    {
        var reading = ProcessProbe.Read(pid, sshPort);
        var (ops, errors, latencies) = stats.Drain();
        return new SoakSample(at, reading, ops, errors, (at - previous.At).TotalSeconds, latencies, counters.Read());
    }

    private static Task PrepareAsync(RawSsh ssh, CancellationToken ct)
    {
        var d = ShellQuote.Quote(Directory(ssh.User));
        return ssh.ExecOkAsync($"rm -rf -- {d} && mkdir -p -- {d}/up && cd -- {d} && touch $(seq -f 'small-%02g.dat' 1 19) && seq 1 200 > text.txt", ct);
    }

    // Cancels what is left of the soak's jobs and removes its directory; returns how many jobs were still pending or running.
    private static async Task<int> CleanUpAsync(RawSsh ssh, CancellationToken ct)
    {
        var user = ShellQuote.Quote(ssh.User);
        var left = await ssh.ExecAsync($"squeue --noheader --user={user} --name={JobName} --states=PENDING,RUNNING --format=%i", ct);
        await ssh.ExecAsync($"scancel --user={user} --name={JobName}", ct);
        await ssh.ExecAsync("rm -rf -- " + ShellQuote.Quote(Directory(ssh.User)), ct);
        return left.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private sealed class JobCounters
    {
        public int Submitted;
        public int Cancelled;
    }

    // The clients' shared state: what each operation sends and how it is judged.
    private sealed class Session(BenchContext ctx, HttpClient http, RefreshingToken[] tokens, SoakStats stats, Stopwatch clock, TimeSpan duration, JobCounters jobs)
    {
        public async Task ClientAsync(int w, CancellationToken ct)
        {
            var rng = new Random(7919 * w + 17);
            var token = tokens[w % 2];
            var dir = Directory(token.User);
            var nextJob = TimeSpan.FromMilliseconds(rng.NextDouble() * JobInterval.TotalMilliseconds);
            var file = $"c{w:D3}.dat";
            try
            {
                while (clock.Elapsed < duration)
                {
                    if (clock.Elapsed >= nextJob)
                    {
                        await TimedAsync(SoakOp.Job, c => JobAsync(token, dir, c), ct);
                        nextJob += JobInterval;
                    }
                    else
                    {
                        var pick = rng.Next(100);
                        if (pick < 15) await TimedAsync(SoakOp.Systems, c => GetAsync(token, "status/systems", "\"cluster\"", c), ct);
                        else if (pick < 40) await TimedAsync(SoakOp.Ls, c => GetAsync(token, $"filesystem/{BenchContext.System}/ops/ls?path={Q(dir)}", "text.txt", c), ct);
                        else if (pick < 65) await TimedAsync(SoakOp.Stat, c => GetAsync(token, $"filesystem/{BenchContext.System}/ops/stat?path={Q(dir + "/text.txt")}", "\"size\"", c), ct);
                        else if (pick < 85) await TimedAsync(SoakOp.Head, c => GetAsync(token, $"filesystem/{BenchContext.System}/ops/head?path={Q(dir + "/text.txt")}&lines=10", "10", c), ct);
                        else
                        {
                            var bytes = new byte[rng.Next(1024, 8 * 1024 + 1)];
                            rng.NextBytes(bytes);
                            if (await TimedAsync(SoakOp.Upload, c => UploadAsync(token, dir + "/up", file, bytes, c), ct))
                                await TimedAsync(SoakOp.Download, c => DownloadAsync(token, dir + "/up/" + file, bytes, c), ct);
                        }
                    }
                    await Task.Delay(rng.Next(ctx.Options.SoakThinkMs.MinMs, ctx.Options.SoakThinkMs.MaxMs + 1), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // the whole run was cancelled
            }
        }

        // Runs one operation with its deadline; records its latency or its error; true on success.
        private async Task<bool> TimedAsync(SoakOp op, Func<CancellationToken, Task<string?>> operation, CancellationToken ct)
        {
            var t0 = Stopwatch.GetTimestamp();
            string? error;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                deadline.CancelAfter(OperationDeadline);
                try { error = await operation(deadline.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { error = $"no answer within {OperationDeadline.TotalSeconds:0} s"; }
                catch (Exception e) when (e is not OperationCanceledException) { error = e.GetType().Name + ": " + e.Message.Split('\n')[0]; }
            }
            if (error is null) stats.Success(op, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            else stats.Failure(op, error, clock.Elapsed);
            return error is null;
        }

        private async Task<string?> GetAsync(RefreshingToken token, string relative, string expected, CancellationToken ct)
        {
            using var resp = await SendAsync(HttpMethod.Get, relative, token, null, ct);
            var body = await resp.Content.ReadAsStringAsync(ct);
            if (resp.StatusCode != HttpStatusCode.OK) return Status(resp, body);
            return body.Contains(expected, StringComparison.Ordinal) ? null : $"200 without {expected} in the body";
        }

        private async Task<string?> UploadAsync(RefreshingToken token, string directory, string name, byte[] bytes, CancellationToken ct)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
            using var resp = await SendAsync(HttpMethod.Post, $"filesystem/{BenchContext.System}/ops/upload?path={Q(directory)}", token, form, ct);
            return resp.IsSuccessStatusCode ? null : Status(resp, await resp.Content.ReadAsStringAsync(ct));
        }

        private async Task<string?> DownloadAsync(RefreshingToken token, string path, byte[] expected, CancellationToken ct)
        {
            using var resp = await SendAsync(HttpMethod.Get, $"filesystem/{BenchContext.System}/ops/download?path={Q(path)}", token, null, ct);
            if (resp.StatusCode != HttpStatusCode.OK) return Status(resp, await resp.Content.ReadAsStringAsync(ct));
            var got = await resp.Content.ReadAsByteArrayAsync(ct);
            return got.AsSpan().SequenceEqual(expected) ? null : $"downloaded {got.Length} bytes differ from the {expected.Length} uploaded";
        }

        private async Task<string?> JobAsync(RefreshingToken token, string dir, CancellationToken ct)
        {
            var body = new { job = new { name = JobName, account = ctx.AccountOf(token.User), workingDirectory = dir, script = "#!/bin/bash\nsleep 300\n" } };
            string id;
            using (var resp = await SendAsync(HttpMethod.Post, $"compute/{BenchContext.System}/jobs", token, JsonContent.Create(body), ct))
            {
                var text = await resp.Content.ReadAsStringAsync(ct);
                if (resp.StatusCode != HttpStatusCode.Created) return "submit: " + Status(resp, text);
                id = JsonDocument.Parse(text).RootElement.GetProperty("jobId").ToString();
            }
            Interlocked.Increment(ref jobs.Submitted);
            var jobPath = $"compute/{BenchContext.System}/jobs/{Uri.EscapeDataString(id)}";
            string? error = null;
            try
            {
                while (true)
                {
                    using var get = await SendAsync(HttpMethod.Get, jobPath, token, null, ct);
                    var text = await get.Content.ReadAsStringAsync(ct);
                    if (get.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(text).RootElement.GetProperty("jobs").GetArrayLength() > 0) break;
                    if (get.StatusCode != HttpStatusCode.OK && get.StatusCode != HttpStatusCode.NotFound) { error = "poll: " + Status(get, text); break; }
                    await Task.Delay(500, ct);
                }
            }
            finally
            {
                // Cancelled even when the poll failed or the deadline passed.
                using var cancelDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var del = await SendAsync(HttpMethod.Delete, jobPath, token, null, cancelDeadline.Token);
                if (del.IsSuccessStatusCode) Interlocked.Increment(ref jobs.Cancelled);
                else error ??= "cancel: " + Status(del, await del.Content.ReadAsStringAsync(cancelDeadline.Token));
            }
            return error;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, RefreshingToken token, HttpContent? content, CancellationToken ct)
        {
            using var req = new HttpRequestMessage(method, ctx.Url(relative)) { Content = content };
            req.Headers.Authorization = new("Bearer", await token.GetAsync(ct));
            return await http.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
        }

        private static string Q(string s) => Uri.EscapeDataString(s);

        private static string Status(HttpResponseMessage resp, string body) =>
            $"HTTP {(int)resp.StatusCode}: {(body.Length > 160 ? body[..160] : body).ReplaceLineEndings(" ")}";
    }
}
