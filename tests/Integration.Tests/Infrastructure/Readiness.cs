using System.Diagnostics;
using System.Net;

namespace Firecrest.Integration.Tests.Infrastructure;

/// <summary>Waiting for a real server's <c>GET /status/readiness/</c> to answer 200 (its first health run has ended).</summary>
public static class Readiness
{
    /// <summary>Polls readiness until 200 or until <paramref name="limit"/> has passed; returns the last answer.</summary>
    public static async Task<HttpResponseMessage> WaitAsync(HttpClient http, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var response = await http.GetAsync("/status/readiness/");
            if (response.StatusCode == HttpStatusCode.OK || waited.Elapsed > limit) return response;
            response.Dispose();
            await Task.Delay(100);
        }
    }
}
