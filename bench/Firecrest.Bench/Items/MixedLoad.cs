using System.Net;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Item 3: 500 concurrent clients over the two users, mixed stat / small ls / head, against raw SSH execs at the same
/// concurrency; error count and the server's peak RSS.
/// </summary>
public static class MixedLoad
{
    /// <summary>Concurrent clients of the item (also of the replica item R).</summary>
    public const int Clients = 500;

    private static bool _warmed;

    internal static string SmallDirectory(string user) => BenchContext.HomeOf(user) + "/f7t-bench-small";

    internal static string TextFile(string user) => SmallDirectory(user) + "/text.txt";

    /// <summary>Creates the small directory (20 files) and a 200-line text file of a user.</summary>
    public static Task EnsureFilesAsync(RawSsh ssh, CancellationToken ct)
    {
        var d = ShellQuote.Quote(SmallDirectory(ssh.User));
        return ssh.ExecOkAsync($"mkdir -p -- {d} && cd -- {d} && touch $(seq -f 'small-%02g.dat' 1 19) && seq 1 200 > text.txt", ct);
    }

    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw1, RawSsh raw2, CancellationToken ct)
    {
        // Per round (3 by default): the rounds give the spread.
        var warmup = ctx.Options.Pick(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
        var window = ctx.Options.Pick(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3));
        var users = new[] { ctx.User1, ctx.User2 };

        if (!_warmed)
        {
            // Once, untimed: the load generator and the baseline's SSH.NET client run in this process, JIT-compiled in
            // tiers. On a machine that the load saturates, their optimized code arrived only during the first measured
            // round (the baseline's CPU per operation fell from 1.7 ms in round 1 to 0.8 ms in round 3), so the rounds
            // measured a baseline that changed speed under them.
            _warmed = true;
            var settle = ctx.Options.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
            Console.WriteLine($"  [3] warm-up of both loads, {settle.TotalSeconds:0} s each (not measured) …");
            await ApiLoadAsync(ctx, ctx.RunningServer.BaseUrl, Clients, TimeSpan.Zero, settle, null, ct, letRunningFinish: true);
            await RawLoadAsync(ctx, raw1, raw2, TimeSpan.Zero, settle, ct);
        }

        // Each round's peak is its own: otherwise every round after the first would carry the cancellations of the one before.
        var since = ctx.RunningServer.ResetPeakMemory() ? "this round's load" : "start";
        var before = ctx.RunningServer.Memory();
        var memory = before;
        // The requests in flight when the window closes finish (about one latency, 10 s): 500 aborted at once would grow
        // the server's heap for the rounds after this one.
        Task<LoadResult> Ours() => ApiLoadAsync(ctx, ctx.RunningServer.BaseUrl, Clients, warmup, window, ProcessCpu.Of(ctx.RunningServer.Pid), ct,
            atWindowClose: () => memory = ctx.RunningServer.Memory(), letRunningFinish: true);
        Task<LoadResult> Baseline() => RawLoadAsync(ctx, raw1, raw2, warmup, window, ct);
        var (ours, baseline) = await LoadsInTurn.RunAsync(ctx.Report.Round, Ours, Baseline);

        ctx.Report.Higher("3", $"{Clients} clients, mixed stat/ls/head: operations/s (baseline: raw SSH execs, same concurrency)", ours.PerSecond, baseline.PerSecond, " op/s", 0.95);
        ctx.Report.Lower("3", "Mixed load p50 latency", ours.Latency.P50, baseline.Latency.P50, " ms", null, "0");
        ctx.Report.Lower("3", "Mixed load p99 latency", ours.Latency.P99, baseline.Latency.P99, " ms", 1.15, "0");
        ctx.Report.Lower("3", "Mixed load CPU per operation: the server (baseline: the raw SSH.NET client in the load generator)", ours.CpuMsPerOperation, baseline.CpuMsPerOperation, " ms", null, "0.00");
        ctx.Report.Add(new Row("3", $"Mixed load errors in {window.TotalSeconds:0} s", ours.Errors.ToString(), baseline.Errors.ToString(), "—", "0", ours.Errors == 0 ? "yes" : "no"));
        ctx.Report.Single("3", $"Server peak RSS (VmHWM since {since}, read when the mixed load's window closes)", memory.PeakMiB, " MiB", "0", "≤ 160 MiB", v => v <= 160);
        ctx.Report.Note("3", $"{Clients} closed-loop clients, even ones as {users[0]} and odd ones as {users[1]}, each cycling stat of a file, ls of a 20-entry directory and head -n 10, {warmup.TotalSeconds:0} s warm-up then {window.TotalSeconds:0} s measured, after one untimed run of each load before round 1 (the load generator and the baseline's client are JIT-compiled in this process); {Clients} HTTP connections. The server's pool keeps one SSH connection per user with at most {ctx.ChannelsPerConnection} channels at once (configuration: max_sessions_per_connection), so at most {2 * ctx.ChannelsPerConnection} commands run at a time and the other clients queue; each of those channels holds a shell the server keeps open and runs its commands in one after another (ssh.reuse_shells, the default), so the cluster starts no session process and no login shell per command; the raw baseline gets the same budget as a plain SSH client uses it: one SSH.NET connection per user, {ctx.ChannelsPerConnection} exec requests at once, {Clients} clients queuing on it, the same command lines; odd rounds run ours first, even rounds the baseline first. Server RSS before the load {Report.Num(before.CurrentMiB, "0")} MiB, at the window's close {Report.Num(memory.CurrentMiB, "0")} MiB; the requests in flight then finish before the next load starts (the baseline's queued operations stop at its window's close and its running ones finish), with the garbage collector's settings of the server's project (an 8 MiB youngest generation, System.GC.Gen0MaxBudget). {StatusThroughput.Errors(ours)} {StatusThroughput.Errors(baseline)}".TrimEnd());
    }

    /// <summary>
    /// The API side of the item against <paramref name="baseUrl"/>: <paramref name="clients"/> closed-loop clients, even
    /// ones as the first user and odd ones as the second, cycling stat, ls and head; with <paramref name="serverCpu"/>, the
    /// server's CPU in the window; <paramref name="atWindowClose"/> runs when the window closes, before the requests
    /// still in flight are cancelled (or, with <paramref name="letRunningFinish"/>, left to finish).
    /// </summary>
    public static async Task<LoadResult> ApiLoadAsync(BenchContext ctx, Uri baseUrl, int clients, TimeSpan warmup, TimeSpan window, Func<TimeSpan>? serverCpu,
        CancellationToken ct, Action? atWindowClose = null, bool letRunningFinish = false)
    {
        var users = new[] { ctx.User1, ctx.User2 };
        var tokens = new[] { await ctx.Tokens.ForAsync(users[0], ct), await ctx.Tokens.ForAsync(users[1], ct) };
        var sys = BenchContext.System;
        string Q(string p) => Uri.EscapeDataString(p);
        var urls = users.Select(u => new[]
        {
            new Uri(baseUrl, $"filesystem/{sys}/ops/stat?path={Q(TextFile(u))}"),
            new Uri(baseUrl, $"filesystem/{sys}/ops/ls?path={Q(SmallDirectory(u))}"),
            new Uri(baseUrl, $"filesystem/{sys}/ops/head?path={Q(TextFile(u))}&lines=10"),
        }).ToArray();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var counters = new int[clients];
        return await LoadRunner.RunAsync(clients, warmup, window, TimeSpan.FromSeconds(60), async (w, token) =>
        {
            var u = w % 2;
            var op = counters[w]++ % 3;
            using var req = new HttpRequestMessage(HttpMethod.Get, urls[u][op]);
            req.Headers.Authorization = new("Bearer", tokens[u]);
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseContentRead, token);
            return resp.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)resp.StatusCode} on {Op(op)}";
        }, serverCpu, ct, atWindowClose, letRunningFinish);
    }

    /// <summary>
    /// The raw side: <see cref="Clients"/> closed-loop clients running the same command lines as raw SSH.NET execs, even
    /// ones on <paramref name="raw1"/> and odd ones on <paramref name="raw2"/>; the CPU is this process's (the SSH.NET client).
    /// </summary>
    public static Task<LoadResult> RawLoadAsync(BenchContext ctx, RawSsh raw1, RawSsh raw2, TimeSpan warmup, TimeSpan window, CancellationToken ct)
    {
        var c = ctx.Commands;
        var raws = new[] { raw1, raw2 };
        var lines = raws.Select(r => new[]
        {
            c.Stat(TextFile(r.User), false),
            c.Ls(SmallDirectory(r.User), new ListOptions()),
            c.Head(TextFile(r.User), null, 10, false),
        }).ToArray();
        var counters = new int[Clients];
        return LoadRunner.RunAsync(Clients, warmup, window, TimeSpan.FromSeconds(60), async (w, token) =>
        {
            var u = w % 2;
            var op = counters[w]++ % 3;
            // At the window's close the queued ones stop and the (at most 20) running ones finish.
            var r = await raws[u].ExecAsync(lines[u][op], token, cancelRunning: false);
            return r.ExitStatus == 0 ? null : $"exit {r.ExitStatus} on {Op(op)}";
        }, ProcessCpu.Self(), ct);
    }

    internal static string Op(int op) => op switch { 0 => "stat", 1 => "ls", _ => "head" };
}
