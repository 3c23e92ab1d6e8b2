using Firecrest.Core;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;

namespace Firecrest.Bench.Items;

/// <summary>
/// Engine level (issue 3): ls of the 5,300-entry directory through the engine on a warm pool against a raw SSH.NET
/// exec of the same command, 40 concurrent stat calls of one user, and item 3's mixed load through the engine without
/// HTTP: with item 3 it tells the engine's share of the server's cost per operation from the HTTP face's.
/// </summary>
public static class EngineLevel
{
    /// <summary>Runs the item with an engine of its own (in this process, direct mode).</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, RawSsh raw2, CancellationToken ct)
    {
        var dir = LsLatency.BigDirectory(ctx.User1);
        var count = ctx.Options.Pick(10, 3); // per round
        var line = ctx.Commands.Ls(dir, new ListOptions());
        await using var host = EngineHost.Create(ctx.Settings);
        var files = host.Engine.ForUser(new UserIdentity(ctx.User1)).Files;

        var first = await files.ListAsync(BenchContext.System, RemotePath.Parse(dir), null, ct);
        if (first.Count != LsLatency.Entries) throw new InvalidOperationException($"engine ls listed {first.Count} entries, expected {LsLatency.Entries}");
        var engine = new List<double>();
        var ssh = new List<double>();
        for (var i = 0; i < count + 3; i++)
        {
            var e = await LsLatency.TimeAsync(() => files.ListAsync(BenchContext.System, RemotePath.Parse(dir), null, ct));
            var r = await LsLatency.TimeAsync(() => raw.ExecOkAsync(line, ct));
            if (i < 3) continue;
            engine.Add(e);
            ssh.Add(r);
        }
        var el = new Latencies(engine);
        var rl = new Latencies(ssh);
        ctx.Report.Lower("E", $"Engine ls of {LsLatency.Entries} entries on a warm pool, p50 (baseline: raw SSH.NET exec)", el.P50, rl.P50, " ms", 1.3);

        const int parallel = 40;
        var target = dir + "/entry-0001.dat";
        var errors = 0;
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, parallel).Select(async _ =>
        {
            try { await files.StatAsync(BenchContext.System, RemotePath.Parse(target), false, ct); }
            catch (HpcException) { Interlocked.Increment(ref errors); }
        });
        await Task.WhenAll(tasks);
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        ctx.Report.Single("E", $"{parallel} concurrent engine stat calls of one user: errors", errors.ToString(), "0", errors == 0);
        ctx.Report.Single("E", $"{parallel} concurrent engine stat calls of one user: all done in", took, " ms", "0", "—", null);
        // Half item 3's window: this item reports rates and costs per operation, no latency, and 500 callers saturate the
        // pool from their first call, so 10 s hold some 500 operations, as many as there are callers.
        var warmup = ctx.Options.Pick(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
        var window = ctx.Options.Pick(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3));
        var mixed = await MixedEngineLoadAsync(ctx, host, warmup, window, ct);
        var rawMixed = await MixedLoad.RawLoadAsync(ctx, raw, raw2, warmup, window, ct);
        ctx.Report.Higher("E", $"{MixedLoad.Clients} engine callers, item 3's mixed stat/ls/head: operations/s (baseline: raw SSH execs, same concurrency)", mixed.PerSecond, rawMixed.PerSecond, " op/s", null);
        ctx.Report.Lower("E", "Engine mixed load CPU per operation (baseline: the raw SSH.NET client)", mixed.CpuMsPerOperation, rawMixed.CpuMsPerOperation, " ms", null, "0.00");
        ctx.Report.Lower("E", "Engine mixed load: bytes allocated per operation (baseline: the raw SSH.NET client)", mixed.AllocatedKbPerOperation, rawMixed.AllocatedKbPerOperation, " KiB", null, "0.0");
        ctx.Report.Single("E", "Engine mixed load errors (engine / raw)", $"{mixed.Errors} / {rawMixed.Errors}", "0", mixed.Errors + rawMixed.Errors == 0);
        ctx.Report.Note("E", $"Engine built in the benchmark process from the same YAML (EngineHost.Create, direct mode), {count} timed pairs after 3 untimed, alternating with the raw exec; the engine figure includes parsing the 5,300 lines into RemoteFile objects. The 40 stat calls share one SSH connection with at most {ctx.ChannelsPerConnection} channels at once (max_sessions_per_connection); the rest queue. The mixed load is item 3's ({MixedLoad.Clients} closed-loop callers over the two users, stat, ls of 20 entries, head -n 10; {warmup.TotalSeconds:0} s warm-up, {window.TotalSeconds:0} s measured) calling the engine in this process instead of the server over HTTP; both CPU figures are this process's, so the engine's includes its answers' parsing and the raw one only the SSH.NET client. {StatusThroughput.Errors(mixed)} {StatusThroughput.Errors(rawMixed)}".TrimEnd());
    }

    private static Task<LoadResult> MixedEngineLoadAsync(BenchContext ctx, EngineHost host, TimeSpan warmup, TimeSpan window, CancellationToken ct)
    {
        var users = new[] { ctx.User1, ctx.User2 };
        var files = users.Select(u => host.Engine.ForUser(new UserIdentity(u)).Files).ToArray();
        var text = users.Select(u => RemotePath.Parse(MixedLoad.TextFile(u))).ToArray();
        var small = users.Select(u => RemotePath.Parse(MixedLoad.SmallDirectory(u))).ToArray();
        var counters = new int[MixedLoad.Clients];
        return LoadRunner.RunAsync(MixedLoad.Clients, warmup, window, TimeSpan.FromSeconds(60), async (w, token) =>
        {
            var u = w % 2;
            var op = counters[w]++ % 3;
            try
            {
                _ = op switch
                {
                    0 => (object)await files[u].StatAsync(BenchContext.System, text[u], false, token),
                    1 => await files[u].ListAsync(BenchContext.System, small[u], null, token),
                    _ => await files[u].HeadAsync(BenchContext.System, text[u], null, 10, false, token),
                };
                return null;
            }
            catch (HpcException e)
            {
                return $"{e.Kind} on {MixedLoad.Op(op)}";
            }
        }, ProcessCpu.Self(), ct);
    }
}
