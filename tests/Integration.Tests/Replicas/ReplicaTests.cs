using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Firecrest.Integration.Tests.Replicas;

/// <summary>
/// Two server replicas behind HAProxy sharing Redis act as one server: idempotency keys, batch runs, Redis down, and a
/// replica killed under load. The tests of this class run one after the other on one <see cref="ReplicaSet"/>.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ReplicaTests(ReplicaSet replicas) : IClassFixture<ReplicaSet>
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static string Text(CallToolResult r) => string.Join("\n", r.Content.OfType<TextContentBlock>().Select(t => t.Text));

    [Fact]
    public async Task The_same_Idempotency_Key_sent_to_each_replica_and_through_the_balancer_gives_one_job()
    {
        using var one = await replicas.ClientForAsync(replicas.ReplicaUrl(1));
        using var two = await replicas.ClientForAsync(replicas.ReplicaUrl(2));
        using var balanced = await replicas.ClientForAsync(replicas.Url);
        var name = Unique("repl-idem");
        var key = Unique("key");
        // At the same time on both replicas (the race a retried request makes), then once more through HAProxy.
        var racing = await Task.WhenAll(ReplicaJobs.SubmitAsync(one, replicas.System, name, key), ReplicaJobs.SubmitAsync(two, replicas.System, name, key));
        using var third = await ReplicaJobs.SubmitAsync(balanced, replicas.System, name, key);
        var ids = new List<string>();
        foreach (var r in racing.Append(third))
        {
            Assert.True(r.StatusCode == HttpStatusCode.Created || r.IsSuccessStatusCode, $"{r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
            ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
            r.Dispose();
        }
        try
        {
            Assert.Single(ids.Distinct());
            Assert.Equal([ids[0]], await ReplicaJobs.IdsNamedAsync(balanced, replicas.System, name, [ids[0]]));
        }
        finally
        {
            await ReplicaJobs.CancelAsync(balanced, replicas.System, ids);
        }
    }

    [Fact]
    public async Task A_batch_run_started_on_one_replica_is_read_and_cancelled_through_the_other()
    {
        await using var first = await replicas.McpClientForAsync(replicas.ReplicaUrl(1));
        await using var second = await replicas.McpClientForAsync(replicas.ReplicaUrl(2));
        var yaml = $"system: {replicas.System}\ndefaults: {{workingDirectory: /home/fireuser/{Unique("repl-batch")}}}\njobs:\n  long:\n    script: \"#!/bin/bash\\nsleep 600\\n\"\n";
        var started = await first.CallToolAsync("run_batch", new Dictionary<string, object?> { ["yaml"] = yaml });
        Assert.True(started.IsError != true, Text(started));
        var runId = started.StructuredContent!.Value.GetProperty("runId").GetString()!;

        // The other replica sees the run and, once submitted, its job id.
        string? jobId = null;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (jobId is null)
        {
            var status = await second.CallToolAsync("get_batch_status", new Dictionary<string, object?> { ["run_id"] = runId });
            Assert.True(status.IsError != true, Text(status));
            var job = status.StructuredContent!.Value.GetProperty("report").GetProperty("jobs")[0];
            if (job.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String) jobId = id.GetString();
            else
            {
                Assert.True(DateTime.UtcNow < deadline, "the run's job was not submitted within 2 minutes: " + Text(status));
                await Task.Delay(500);
            }
        }

        var cancelled = await second.CallToolAsync("cancel_batch", new Dictionary<string, object?> { ["run_id"] = runId });
        Assert.True(cancelled.IsError != true, Text(cancelled));
        JsonElement ended;
        deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var status = await first.CallToolAsync("get_batch_status", new Dictionary<string, object?> { ["run_id"] = runId });
            ended = status.StructuredContent!.Value;
            if (ended.GetProperty("finished").GetBoolean()) break;
            Assert.True(DateTime.UtcNow < deadline, "the cancelled run did not finish within 2 minutes: " + Text(status));
            await Task.Delay(500);
        }
        Assert.Contains("Cancelled", ended.GetProperty("error").GetString());

        // The scheduler has cancelled the job.
        using var http = await replicas.ClientForAsync(replicas.Url);
        deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var r = await http.GetAsync($"/compute/{replicas.System}/jobs/{jobId}");
            var state = r.IsSuccessStatusCode ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobs")[0].GetProperty("status").GetProperty("state").ToString() : "";
            if (state.Contains("CANCELLED", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is {state}, not cancelled");
            await Task.Delay(1000);
        }
    }

    [Fact]
    public async Task An_MCP_cancellation_sent_to_the_other_replica_ends_the_call()
    {
        using var one = await replicas.ClientForAsync(replicas.ReplicaUrl(1));
        using var two = await replicas.ClientForAsync(replicas.ReplicaUrl(2));
        one.Timeout = Timeout.InfiniteTimeSpan;
        var sleeper = new { job = new { name = Unique("repl-cancel"), workingDirectory = "/home/fireuser", script = "#!/bin/bash\nsleep 600\n" } };
        using var submitted = await one.PostAsJsonAsync($"/compute/{replicas.System}/jobs", sleeper);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        var job = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        try
        {
            var requestId = $"wait-{Guid.NewGuid():N}";
            using var call = McpPost(new
            {
                jsonrpc = "2.0", id = requestId, method = "tools/call",
                @params = new { name = "wait_for_job", arguments = new { system = replicas.System, job_id = job, timeout_seconds = 600 } },
            });
            using var response = await one.SendAsync(call, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = response.Content.ReadAsStringAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(body.IsCompleted, "the wait ended before it was cancelled: " + (body.IsCompleted ? await body : ""));

            using var cancel = McpPost(new { jsonrpc = "2.0", method = "notifications/cancelled", @params = new { requestId, reason = "test" } });
            using var accepted = await two.SendAsync(cancel);
            Assert.True(accepted.IsSuccessStatusCode, $"cancel answered {(int)accepted.StatusCode}");
            var finished = await Task.WhenAny(body, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == body, "the wait on replica 1 went on after notifications/cancelled reached replica 2");
        }
        finally
        {
            using var _ = await one.DeleteAsync($"/compute/{replicas.System}/jobs/{job}");
        }
    }

    private static HttpRequestMessage McpPost(object message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = JsonContent.Create(message) };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    [Fact]
    public async Task Redis_down_gives_503_naming_the_shared_state_and_the_replicas_stay_live_for_the_balancer()
    {
        using var http = await replicas.ClientForAsync(replicas.Url);
        using (var before = await http.GetAsync($"/status/{replicas.System}/partitions"))
            Assert.True(before.StatusCode == HttpStatusCode.OK, $"before Redis stopped: {before.StatusCode} {await before.Content.ReadAsStringAsync()}");
        replicas.KillRedis();
        try
        {
            foreach (var url in new[] { replicas.ReplicaUrl(1), replicas.ReplicaUrl(2), replicas.Url })
            {
                using var client = await replicas.ClientForAsync(url);
                using var r = await client.GetAsync($"/status/{replicas.System}/partitions");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                var envelope = await r.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(["errorType", "message", "causedBy", "data", "user"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.Contains("Redis", envelope.GetProperty("message").GetString());
                Assert.Contains("unavailable", envelope.GetProperty("message").GetString());
                using var live = await client.GetAsync("/status/liveness/");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
        }
        finally
        {
            await replicas.RestoreAsync();
        }
        // Redis is back: each replica reconnects on its own (checked one by one, so the next test finds both ready).
        var deadline = DateTime.UtcNow.AddMinutes(1);
        foreach (var url in new[] { replicas.ReplicaUrl(1), replicas.ReplicaUrl(2), replicas.Url })
        {
            using var client = await replicas.ClientForAsync(url);
            while (true)
            {
                using var after = await client.GetAsync($"/status/{replicas.System}/partitions");
                if (after.StatusCode == HttpStatusCode.OK) break;
                Assert.True(DateTime.UtcNow < deadline, $"{url} still answers {after.StatusCode} a minute after Redis came back");
                await Task.Delay(500);
            }
        }
    }

    [Fact]
    public async Task A_replica_killed_under_load_loses_no_idempotent_request_and_duplicates_a_job_only_by_a_claim_takeover()
    {
        using var http = await replicas.ClientForAsync(replicas.Url);
        var name = Unique("repl-kill");
        var load = TimeSpan.FromSeconds(15);
        var jobs = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(); // key → job id
        var submits = new System.Collections.Concurrent.ConcurrentQueue<(long Start, long End)>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0;
        using var stop = new CancellationTokenSource(load);
        async Task ClientAsync(int client)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        var key = $"{name}-{client}-{i}";
                        var start = System.Diagnostics.Stopwatch.GetTimestamp();
                        using var r = await ReplicaJobs.SubmitAsync(http, replicas.System, name, key);
                        submits.Enqueue((start, System.Diagnostics.Stopwatch.GetTimestamp()));
                        if (!r.IsSuccessStatusCode) failures.Enqueue($"submit {key}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                        else jobs[key] = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
                    }
                    else
                    {
                        using var r = await http.GetAsync($"/status/{replicas.System}/partitions");
                        if (!r.IsSuccessStatusCode) failures.Enqueue($"GET partitions: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                        else Interlocked.Increment(ref reads);
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"client {client} request {i}: {e.Message}");
                }
            }
        }
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(() => ClientAsync(c))).ToList();
        await Task.Delay(load / 3);
        replicas.KillReplica(1);
        var killed = System.Diagnostics.Stopwatch.GetTimestamp();
        string[] listed = [];
        try
        {
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(4));
            Assert.True(failures.IsEmpty, $"{failures.Count} requests failed:\n" + string.Join("\n", failures.Take(10)));
            Assert.True(jobs.Count > 0 && reads > 0, $"the load made {jobs.Count} submits and {reads} reads");

            // Every key holds one job: sending each again gives the same id.
            foreach (var (key, id) in jobs)
            {
                using var again = await ReplicaJobs.SubmitAsync(http, replicas.System, name, key);
                Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
                Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString());
            }
            var expected = jobs.Values.ToHashSet();
            Assert.Equal(jobs.Count, expected.Count);
            // The scheduler lists no other job, but for the window the store leaves open (docs/deployment.md): a submit the
            // killed replica had sent to the scheduler but not recorded, which the retry of its request (waiting on the other
            // replica until the dead holder's claim lease, 20 s, ran out) submits again. Such a retry was in flight at the kill
            // and answered at least 10 s after it; a store that does not share claims answers the retry at once.
            listed = await ReplicaJobs.IdsNamedAsync(http, replicas.System, name, expected);
            var extra = listed.Except(expected).ToList();
            var takeovers = submits.Count(s => s.Start < killed && System.Diagnostics.Stopwatch.GetElapsedTime(killed, s.End) >= TimeSpan.FromSeconds(10));
            Assert.True(extra.Count <= takeovers, $"jobs {string.Join(", ", extra)} were created beyond one per key; {takeovers} requests took a dead replica's claim over");
        }
        finally
        {
            await replicas.RestoreAsync();
            await ReplicaJobs.CancelAsync(http, replicas.System, jobs.Values.Concat(listed));
        }
    }
}

/// <summary>The per-user rate limit holds across replicas: its bucket lives in Redis.</summary>
[Trait("Category", "Cluster")]
public sealed class ReplicaRateLimitTests(RateLimitedReplicaSet replicas) : IClassFixture<RateLimitedReplicaSet>
{
    [Fact]
    public async Task Requests_spread_over_both_replicas_get_one_users_burst_in_total()
    {
        using var one = await replicas.ClientForAsync(replicas.ReplicaUrl(1), "fireuser2");
        using var two = await replicas.ClientForAsync(replicas.ReplicaUrl(2), "fireuser2");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // All at once, half to each replica, so a slow machine cannot refill the bucket while they are sent.
        var answers = await Task.WhenAll(Enumerable.Range(0, RateLimitedReplicaSet.Burst * 2).Select(i => (i % 2 == 0 ? one : two).GetAsync("/status/systems")));
        var ok = 0;
        var limited = 0;
        foreach (var r in answers)
        {
            using (r)
            {
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    limited++;
                    Assert.True(r.Headers.RetryAfter is not null, "429 without Retry-After");
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                    ok++;
                }
            }
        }
        // One bucket for both replicas: the burst plus what refilled (1 a second) while the loop ran; two buckets would give twice the burst.
        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);
        Assert.InRange(ok, RateLimitedReplicaSet.Burst, RateLimitedReplicaSet.Burst + refilled);
        Assert.True(limited > 0, $"no request was limited in {clock.Elapsed}");
    }
}
