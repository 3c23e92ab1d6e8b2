using Firecrest.Core;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;

namespace Firecrest.Bench.Items;

/// <summary>
/// Engine level (issue 3): ls of the 5,300-entry directory through the engine on a warm pool against a raw SSH.NET
/// exec of the same command, and 40 concurrent stat calls of one user.
/// </summary>
public static class EngineLevel
{
    /// <summary>Runs the item with an engine of its own (in this process, direct mode).</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, CancellationToken ct)
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
        ctx.Report.Note("E", $"Engine built in the benchmark process from the same YAML (EngineHost.Create, direct mode), {count} timed pairs after 3 untimed, alternating with the raw exec; the engine figure includes parsing the 5,300 lines into RemoteFile objects. The 40 stat calls share one SSH connection with at most {ctx.ChannelsPerConnection} channels at once (max_sessions_per_connection); the rest queue.");
    }
}
