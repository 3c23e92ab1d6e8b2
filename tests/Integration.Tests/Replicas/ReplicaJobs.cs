using System.Net.Http.Json;
using System.Text.Json;

namespace Firecrest.Integration.Tests.Replicas;

/// <summary>Submitting and counting jobs through the REST API of the replicas.</summary>
internal static class ReplicaJobs
{
    /// <summary>
    /// A job request body named <paramref name="name"/>, submitted held: it never runs, so the hundreds a load test submits
    /// do not queue ahead of other tests' jobs on the shared test cluster. <see cref="CancelAsync"/> removes them.
    /// </summary>
    public static object Body(string name) => new { job = new { name, workingDirectory = "/home/fireuser", script = "#!/bin/bash\n#SBATCH --hold\ntrue\n" } };

    /// <summary>Cancels the jobs <paramref name="ids"/>, a few at a time; a job that cannot be cancelled is left.</summary>
    public static async Task CancelAsync(HttpClient http, string system, IEnumerable<string> ids)
    {
        await Parallel.ForEachAsync(ids.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            using var r = await http.DeleteAsync($"/compute/{system}/jobs/{Uri.EscapeDataString(id)}", ct);
        });
    }

    /// <summary>POSTs a submit of job <paramref name="name"/> with <paramref name="key"/> as Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(HttpClient http, string system, string name, string key, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/compute/{system}/jobs") { Content = JsonContent.Create(Body(name)) };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The ids of the jobs named <paramref name="name"/> as the scheduler's accounting lists them, once it lists every one of
    /// <paramref name="expected"/> (accounting may show a job a moment after its submit); fails after two minutes.
    /// </summary>
    public static async Task<string[]> IdsNamedAsync(HttpClient http, string system, string name, IReadOnlyCollection<string> expected)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            using var r = await http.GetAsync($"/compute/{system}/jobs?name={Uri.EscapeDataString(name)}", cts.Token);
            if (r.IsSuccessStatusCode)
            {
                var ids = (await r.Content.ReadFromJsonAsync<JsonElement>(cts.Token)).GetProperty("jobs").EnumerateArray()
                    .Select(j => j.GetProperty("jobId").ToString()).Distinct().ToArray();
                if (expected.All(ids.Contains)) return ids;
            }
            await Task.Delay(1000, cts.Token);
        }
    }
}
