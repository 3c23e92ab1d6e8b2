using System.Net;
using System.Text.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>Item 2: GET ops/ls of a 5,300-entry directory against a raw SSH.NET exec of the same ls on a warm connection.</summary>
public static class LsLatency
{
    /// <summary>Entries of the big directory.</summary>
    public const int Entries = 5300;

    /// <summary>The big directory of <paramref name="user"/>.</summary>
    public static string BigDirectory(string user) => BenchContext.HomeOf(user) + "/f7t-bench-ls5300";

    /// <summary>Creates the directory once (kept between runs: creating 5,300 files is not what is measured).</summary>
    public static async Task EnsureBigDirectoryAsync(RawSsh ssh, CancellationToken ct)
    {
        var d = ShellQuote.Quote(BigDirectory(ssh.User));
        await ssh.ExecOkAsync(
            $"if [ \"$(ls -A -- {d} 2>/dev/null | wc -l)\" != {Entries} ]; then rm -rf -- {d} && mkdir -p -- {d} && cd -- {d} && touch $(seq -f 'entry-%04g.dat' 1 {Entries}); fi",
            ct);
    }

    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, CancellationToken ct)
    {
        var dir = BigDirectory(ctx.User1);
        var count = ctx.Options.Pick(10, 3); // per round
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
        var url = ctx.Url($"filesystem/{BenchContext.System}/ops/ls?path={Uri.EscapeDataString(dir)}");
        var line = ctx.Commands.Ls(dir, new ListOptions());

        var listed = await ApiLsCountAsync(http, url, token, ct);
        if (listed != Entries) throw new InvalidOperationException($"ops/ls listed {listed} entries, expected {Entries}");
        var rawLines = (await raw.ExecOkAsync(line, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        if (ctx.Report.Round == 1) await WarmUpAsync(ctx, raw, http, token, url, line, ct);

        // Interleaved so that background load on the shared machine hits both alike.
        var api = new List<double>();
        var ssh = new List<double>();
        for (var i = 0; i < count + 3; i++)
        {
            var a = await TimeAsync(() => ApiLsCountAsync(http, url, token, ct));
            var r = await TimeAsync(() => raw.ExecOkAsync(line, ct));
            if (i < 3) continue;
            api.Add(a);
            ssh.Add(r);
        }
        var apiL = new Latencies(api);
        var rawL = new Latencies(ssh);
        ctx.Report.Lower("2", $"GET ops/ls of {Entries} entries, p50 (baseline: raw SSH.NET exec of the same ls)", apiL.P50, rawL.P50, " ms", 1.1);
        ctx.Report.Lower("2", $"GET ops/ls of {Entries} entries, p99", apiL.P99, rawL.P99, " ms", null);
        ctx.Report.Note("2", $"{count} timed pairs after 3 untimed, API and raw alternating, one at a time. The API figure includes JSON parsing of the answer by the client (as every client does); the raw figure reads the {rawLines} lines of `{line}` as text on a warm SSH.NET connection of the same user. "
            + $"Before round 1, {FreshPairs} timed pairs on the server's first ls requests (the row 'fresh path'), then {WarmSmallRequests} untimed ls of a 20-entry directory and {WarmPairs} untimed pairs of the big one: the runtime recompiles a method of a new request path after 30 calls and again after profiling it (tiered compilation with dynamic PGO), and on 2 cores that JIT work competes with the requests for a few hundred requests; the p50/p99 rows are the steady state of a server that has served this route before.");
    }

    /// <summary>Pairs timed on the server's first requests of the route (before any warm-up).</summary>
    private const int FreshPairs = 10;

    /// <summary>Untimed ls of the 20-entry directory before round 1.</summary>
    private const int WarmSmallRequests = 300;

    /// <summary>Untimed pairs of the big ls before round 1.</summary>
    private const int WarmPairs = 30;

    // Reports the route's first requests on this server, then brings it to steady state.
    private static async Task WarmUpAsync(BenchContext ctx, RawSsh raw, HttpClient http, string token, Uri url, string line, CancellationToken ct)
    {
        var api = new List<double>();
        var ssh = new List<double>();
        for (var i = 0; i < FreshPairs; i++)
        {
            api.Add(await TimeAsync(() => ApiLsCountAsync(http, url, token, ct)));
            ssh.Add(await TimeAsync(() => raw.ExecOkAsync(line, ct)));
        }
        ctx.Report.Lower("2", $"GET ops/ls of {Entries} entries, p50 of the server's first {FreshPairs} (fresh path, before warm-up)", new Latencies(api).P50, new Latencies(ssh).P50, " ms", null);
        var small = ctx.Url($"filesystem/{BenchContext.System}/ops/ls?path={Uri.EscapeDataString(MixedLoad.SmallDirectory(ctx.User1))}");
        for (var i = 0; i < WarmSmallRequests; i++) await ApiLsCountAsync(http, small, token, ct);
        for (var i = 0; i < WarmPairs; i++)
        {
            await ApiLsCountAsync(http, url, token, ct);
            await raw.ExecOkAsync(line, ct);
        }
    }

    private static async Task<int> ApiLsCountAsync(HttpClient http, Uri url, string token, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Authorization = new("Bearer", token);
        using var resp = await http.SendAsync(req, ct);
        if (resp.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"ops/ls answered {(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync(ct)}");
        await using var body = await resp.Content.ReadAsStreamAsync(ct);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        return doc.RootElement.GetProperty("output").GetArrayLength();
    }

    /// <summary>Milliseconds taken by <paramref name="op"/>.</summary>
    internal static async Task<double> TimeAsync<T>(Func<Task<T>> op)
    {
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        await op();
        return System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
    }
}
