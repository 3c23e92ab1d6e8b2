using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>
/// Item R: the 500-client mixed load of item 3 through HAProxy in front of 2 replicas sharing Redis, beside the same load
/// on 1 replica without a balancer (the bench's server), in the same run; then a load of job submits (each with its own
/// Idempotency-Key) and reads through HAProxy during which one replica is killed: failed requests and duplicate jobs.
/// On two cores no speed-up is expected: the figure shows what the balancer and Redis cost.
/// </summary>
public static class Replicas
{
    /// <summary>Runs the item.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, string serverPath, string yaml, CancellationToken ct)
    {
        var warmup = ctx.Options.Pick(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        // Item 3's 20 s measured, and a 45 s kill load: the kill at a third of the load leaves the 20 s claim lease time
        // to run out before the load ends. Requests in flight when a window closes are cancelled (the last item: no later
        // figure measures this server's memory).
        var window = ctx.Options.Pick(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3));
        var killLoad = ctx.Options.Pick(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(10));
        await using var set = await ReplicaSetProcess.StartAsync(serverPath, yaml, 2, ct);
        await ServerLocator.WaitForHealthyOpsAsync(ctx, ct, set.BaseUrl);

        var ours = await MixedLoad.ApiLoadAsync(ctx, set.BaseUrl, MixedLoad.Clients, warmup, window, null, ct);
        var baseline = await MixedLoad.ApiLoadAsync(ctx, ctx.RunningServer.BaseUrl, MixedLoad.Clients, warmup, window, null, ct);
        ctx.Report.Higher("R", $"{MixedLoad.Clients} clients, mixed stat/ls/head through HAProxy, 2 replicas + Redis: operations/s (baseline: 1 replica, no balancer)", ours.PerSecond, baseline.PerSecond, " op/s", null);
        ctx.Report.Lower("R", "Replicas p50 latency", ours.Latency.P50, baseline.Latency.P50, " ms", null, "0");
        ctx.Report.Lower("R", "Replicas p99 latency", ours.Latency.P99, baseline.Latency.P99, " ms", null, "0");
        ctx.Report.Add(new Row("R", $"Replicas mixed load errors in {window.TotalSeconds:0} s", ours.Errors.ToString(), baseline.Errors.ToString(), "—", "0", ours.Errors == 0 ? "yes" : "no"));

        var (requests, failed, duplicates, takeovers) = await KillUnderLoadAsync(ctx, raw, set, killLoad, ct);
        ctx.Report.Single("R", $"Replica killed during a {killLoad.TotalSeconds:0} s submit/read load: failed requests of {requests}", failed.ToString(), "0", failed == 0);
        ctx.Report.Single("R", $"Replica killed: duplicate jobs (jobs listed beyond one per Idempotency-Key; {takeovers} requests took a dead replica's claim over)", duplicates.ToString(), $"≤ {takeovers}", duplicates <= takeovers);
        ctx.Report.Note("R", $"Both loads as item 3 ({MixedLoad.Clients} closed-loop clients over the two users, {warmup.TotalSeconds:0} s warm-up, {window.TotalSeconds:0} s measured), first through HAProxy (round robin, health checks on /status/liveness/) in front of 2 replicas with Server:Redis set (rate limits, idempotency keys and batch runs in our own redis-server), then straight at the bench's single server. Everything shares the same cores as the cluster, so two replicas add a hop and a Redis round trip per request and no CPU. The kill load: 8 clients alternating a job submit with a new Idempotency-Key and GET /status/cluster/partitions through HAProxy, replica 1 killed (SIGKILL) after a third of it; HAProxy retries GETs and keyed submits on the other replica; afterwards the scheduler's listing of the load's job name is compared with the job ids answered. A duplicate is possible only where a dying replica had the job accepted by the scheduler but not yet recorded, and the retry took its claim over once the lease ran out (docs/deployment.md). {StatusThroughput.Errors(ours)} {StatusThroughput.Errors(baseline)}".TrimEnd());
    }

    // Takeovers: submits in flight at the kill and answered 10 s or more after it, i.e. retries that waited for the dead
    // replica's claim lease (20 s) to run out; each may duplicate a job the dead replica had submitted but not recorded.
    private static async Task<(int Requests, int Failed, int Duplicates, int Takeovers)> KillUnderLoadAsync(BenchContext ctx, RawSsh raw, ReplicaSetProcess set, TimeSpan load, CancellationToken ct)
    {
        var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
        using var http = new HttpClient { BaseAddress = set.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var name = "f7t-bench-kill-" + Guid.NewGuid().ToString("N")[..8];
        var jobs = new ConcurrentDictionary<string, string>();
        var submits = new ConcurrentQueue<(long Start, long End)>();
        var requests = 0;
        var failed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(load);
        async Task ClientAsync(int client)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                Interlocked.Increment(ref requests);
                try
                {
                    HttpResponseMessage r;
                    if (i % 2 == 0)
                    {
                        var key = $"{name}-{client}-{i}";
                        var request = new HttpRequestMessage(HttpMethod.Post, $"compute/{BenchContext.System}/jobs")
                        {
                            Content = JsonContent.Create(new { job = new { name, workingDirectory = BenchContext.HomeOf(ctx.User1), script = "#!/bin/bash\ntrue\n" } }),
                        };
                        request.Headers.Add("Idempotency-Key", key);
                        var start = System.Diagnostics.Stopwatch.GetTimestamp();
                        r = await http.SendAsync(request, ct);
                        submits.Enqueue((start, System.Diagnostics.Stopwatch.GetTimestamp()));
                        if (r.IsSuccessStatusCode) jobs[key] = (await r.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("jobId").GetString()!;
                    }
                    else r = await http.GetAsync($"status/{BenchContext.System}/partitions", ct);
                    if (!r.IsSuccessStatusCode) Interlocked.Increment(ref failed);
                    r.Dispose();
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(() => ClientAsync(c), ct)).ToList();
        await Task.Delay(load / 3, ct);
        set.KillReplica(1);
        var killed = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAll(clients);
        var takeovers = submits.Count(s => s.Start < killed && System.Diagnostics.Stopwatch.GetElapsedTime(killed, s.End) >= TimeSpan.FromSeconds(10));

        // Accounting may list a job a moment after its submit: wait (at most 2 minutes) until every answered id is listed.
        var expected = jobs.Values.ToHashSet();
        var until = DateTime.UtcNow.AddMinutes(2);
        try
        {
            while (true)
            {
                using var r = await http.GetAsync($"compute/{BenchContext.System}/jobs?name={name}", ct);
                var listed = r.IsSuccessStatusCode
                    ? (await r.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").ToString()).ToHashSet()
                    : [];
                if (expected.IsSubsetOf(listed) || DateTime.UtcNow > until) return (requests, failed, listed.Except(expected).Count() + (jobs.Count - expected.Count), takeovers);
                await Task.Delay(1000, ct);
            }
        }
        finally
        {
            // The load submits thousands of jobs; those still queued would hold the test node for the items and tests after.
            await raw.ExecAsync($"scancel --name={ShellQuote.Quote(name)}", CancellationToken.None);
        }
    }
}
