using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Core.Ssh;

namespace Firecrest.Bench.Items;

/// <summary>Item 4: job submit until the job is listed, API (POST then GET jobs/{id}) against raw sbatch then squeue over SSH.</summary>
public static class JobSubmit
{
    /// <summary>Runs the item; every job it submits is cancelled right after it is listed.</summary>
    public static async Task RunAsync(BenchContext ctx, RawSsh raw, CancellationToken ct)
    {
        var count = ctx.Options.Pick(3, 1); // per round
        var user = ctx.User1;
        var account = ctx.AccountOf(user);
        var home = BenchContext.HomeOf(user);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var token = await ctx.Tokens.ForAsync(user, ct);
        var submitUrl = ctx.Url($"compute/{BenchContext.System}/jobs");
        var api = new List<double>();
        var ssh = new List<double>();
        for (var i = 0; i < count; i++)
        {
            api.Add(await ApiOnceAsync(ctx, raw, http, token, submitUrl, home, account, ct));
            ssh.Add(await RawOnceAsync(raw, home, account, ct));
        }
        var a = new Latencies(api);
        var r = new Latencies(ssh);
        ctx.Report.Lower("4", "Job submit until listed, median of the round's jobs (baseline: raw sbatch + squeue over SSH)", a.P50, r.P50, " ms", 1.5, "0");
        ctx.Report.Note("4", $"API: POST compute/{BenchContext.System}/jobs with an inline `sleep 300` script, then GET jobs/{{id}} every 20 ms until it answers 200 with the job. Raw: `sbatch --parsable --wrap='sleep 300'` with the same account and working directory on a warm SSH.NET connection, then `squeue --noheader --jobs=ID` every 20 ms until it prints the job. Each job is cancelled once listed; API and raw alternate. Samples API: {string.Join(", ", api.Select(v => Report.Num(v, "0")))} ms; raw: {string.Join(", ", ssh.Select(v => Report.Num(v, "0")))} ms.");
    }

    private static async Task<double> ApiOnceAsync(BenchContext ctx, RawSsh raw, HttpClient http, string token, Uri submitUrl, string home, string account, CancellationToken ct)
    {
        var body = new { job = new { name = "f7t-bench-api", account, workingDirectory = home, script = "#!/bin/bash\nsleep 300\n" } };
        var t = Stopwatch.GetTimestamp();
        using var req = new HttpRequestMessage(HttpMethod.Post, submitUrl) { Content = JsonContent.Create(body) };
        req.Headers.Authorization = new("Bearer", token);
        using var resp = await http.SendAsync(req, ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        if (resp.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"submit answered {(int)resp.StatusCode}: {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("jobId").ToString();
        var jobUrl = ctx.Url($"compute/{BenchContext.System}/jobs/{Uri.EscapeDataString(id)}");
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                using var get = new HttpRequestMessage(HttpMethod.Get, jobUrl);
                get.Headers.Authorization = new("Bearer", token);
                using var g = await http.SendAsync(get, ct);
                if (g.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(await g.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("jobs").GetArrayLength() > 0)
                    return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (Stopwatch.GetElapsedTime(t) > TimeSpan.FromSeconds(60)) throw new TimeoutException($"job {id} not listed by the API within 60 s");
                await Task.Delay(20, ct);
            }
        }
        finally
        {
            await raw.ExecAsync("scancel " + ShellQuote.Quote(id), CancellationToken.None);
        }
    }

    private static async Task<double> RawOnceAsync(RawSsh raw, string home, string account, CancellationToken ct)
    {
        var t = Stopwatch.GetTimestamp();
        var id = (await raw.ExecOkAsync($"sbatch --parsable --job-name=f7t-bench-raw --account={ShellQuote.Quote(account)} --chdir={ShellQuote.Quote(home)} --wrap='sleep 300'", ct)).Trim().Split(';')[0];
        try
        {
            while (true)
            {
                var listed = await raw.ExecAsync("squeue --noheader --jobs=" + ShellQuote.Quote(id), ct);
                if (listed.ExitStatus == 0 && listed.Stdout.Contains(id, StringComparison.Ordinal)) return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (Stopwatch.GetElapsedTime(t) > TimeSpan.FromSeconds(60)) throw new TimeoutException($"job {id} not listed by squeue within 60 s");
                await Task.Delay(20, ct);
            }
        }
        finally
        {
            await raw.ExecAsync("scancel " + ShellQuote.Quote(id), CancellationToken.None);
        }
    }
}
