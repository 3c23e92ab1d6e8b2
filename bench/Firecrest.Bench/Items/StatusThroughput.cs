using System.Net;

namespace Firecrest.Bench.Items;

/// <summary>Item 1: GET /status/systems at 64 connections against /status/liveness/ of the same server (the framework ceiling).</summary>
public static class StatusThroughput
{
    private const int Connections = 64;

    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, CancellationToken ct)
    {
        // Per round (3 by default): short windows, the rounds give the spread.
        var warmup = ctx.Options.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5));
        var window = ctx.Options.Pick(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
        var liveness = ctx.Url("status/liveness/");
        var systems = ctx.Url("status/systems");

        // Before the first round both endpoints run untimed: on a fresh server (and a fresh load generator) the first
        // endpoint measured would otherwise meet code still on its way up the JIT tiers, and the ratio of round 1 says
        // more about the order than about the server.
        if (ctx.Report.Round == 1)
        {
            var prime = ctx.Options.Pick(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5));
            await LoadRunner.RunAsync(Connections, TimeSpan.Zero, prime, TimeSpan.FromSeconds(30), (_, c) => GetAsync(http, liveness, null, c), null, ct);
            await LoadRunner.RunAsync(Connections, TimeSpan.Zero, prime, TimeSpan.FromSeconds(30), (_, c) => GetAsync(http, systems, token, c), null, ct);
        }
        var serverCpu = ProcessCpu.Of(ctx.RunningServer.Pid);
        Task<LoadResult> Ceiling() => LoadRunner.RunAsync(Connections, warmup, window, TimeSpan.FromSeconds(30), (_, c) => GetAsync(http, liveness, null, c), serverCpu, ct);
        Task<LoadResult> Ours() => LoadRunner.RunAsync(Connections, warmup, window, TimeSpan.FromSeconds(30), (_, c) => GetAsync(http, systems, token, c), serverCpu, ct);
        var (ceiling, ours) = await LoadsInTurn.RunAsync(ctx.Report.Round, Ceiling, Ours);

        ctx.Report.Higher("1", "GET /status/systems, requests/s at 64 connections (baseline: /status/liveness/)", ours.PerSecond, ceiling.PerSecond, " req/s", 0.9);
        ctx.Report.Lower("1", "GET /status/systems p50 latency (baseline: /status/liveness/)", ours.Latency.P50, ceiling.Latency.P50, " ms", null, "0.00");
        ctx.Report.Lower("1", "GET /status/systems p99 latency (baseline: /status/liveness/)", ours.Latency.P99, ceiling.Latency.P99, " ms", null, "0.00");
        ctx.Report.Lower("1", "Server CPU per request (baseline: /status/liveness/)", ours.CpuMsPerOperation * 1000, ceiling.CpuMsPerOperation * 1000, " µs", null, "0");
        ctx.Report.Single("1", "Errors (systems / liveness)", $"{ours.Errors} / {ceiling.Errors}", "0", ours.Errors + ceiling.Errors == 0);
        ctx.Report.Note("1", $"{Connections} closed-loop workers over {Connections} keep-alive HTTP/1.1 connections, before round 1 a few seconds of each endpoint untimed, then per endpoint {warmup.TotalSeconds:0.#} s warm-up and {window.TotalSeconds:0} s measured, odd rounds the ceiling first, even rounds /status/systems first; the load generator runs on the same 2 cores as the server, so both figures are bounded by the shared CPU. The ceiling is /status/liveness/ (no authentication): no authenticated trivial endpoint exists and none was added to the server for the benchmark, so the ratio also contains JWT validation and the per-user rate limiter. Every /status/systems request is authenticated: the first request of a token pays the full validation (signature, expiry, issuer, audience), later ones hit the server's validated-token cache (exact token string, kept until exp - min_token_ttl, dropped when the JWKS changes), which sets the user before the framework's bearer handler would run, and the systems body is serialised once per health state, so both endpoints mostly measure the framework. {Errors(ours)}");
    }

    /// <summary>GET that reads the whole body; null on 200, else the status.</summary>
    internal static async Task<string?> GetAsync(HttpClient http, Uri url, string? token, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) req.Headers.Authorization = new("Bearer", token);
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
        return resp.StatusCode == HttpStatusCode.OK ? null : "HTTP " + (int)resp.StatusCode;
    }

    /// <summary>Error samples as text.</summary>
    internal static string Errors(LoadResult r) =>
        r.ErrorSamples.Count == 0 ? "" : "Errors seen: " + string.Join("; ", r.ErrorSamples.Select(kv => $"{kv.Key} ×{kv.Value}")) + ".";
}
