using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Reliability;

/// <summary>
/// Bad input over every route of <c>/openapi.json</c> of the real server (real engine, local cluster, valid token of
/// fireuser): every answer is a 4xx in the error envelope, never a 5xx or a hang, and the server stays up.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Inputs that rightly answer outside 4xx, with the statuses they give. Matched on the case's text; any other input
    /// must be a 4xx. (Job ids Slurm refuses, `sacct -j 0` listing every job and `file -b` of a missing file once gave
    /// 500/200 here; they are 404 now and no longer listed.)
    /// </summary>
    private static readonly Dictionary<string, int[]> KnownExceptions = new(StringComparer.Ordinal)
    {
        // A 20000-character account filter is not refused (upstream sets no limit): squeue finds no job, 200 with [].
        ["GET /compute/cluster/jobs?account=" + new string('x', 130) + "… [account='" + new string('x', 20) + "…(20000 chars)']"] = [200],
        // A newline is a legal byte of a file name: transfer rm starts its job as upstream does (charged to the user's
        // default account) and the job finds nothing to remove; the synchronous routes answer 404 for the same path.
        ["DELETE /filesystem/cluster/transfer/rm?path=%2Fhome%2Ffireuser%2Freliab-fuzz-missing%2F%0A%2Fx [path='/home/fireuser/reliab-fuzz-missing/\\n/x']"] = [200],
    };

    private ReliabilityServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new ReliabilityServer(TestCluster.Current.ConfigPath, new Dictionary<string, string>
        {
            ["Server:RateLimitPerSecond"] = "1000000",
            ["Server:RateLimitBurst"] = "1000000",
            ["Server:MaxRequestBodySize"] = FuzzInputs.MaxBody.ToString(),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_bad_input_on_every_route_is_a_4xx_in_the_error_envelope_and_the_server_stays_up()
    {
        var env = TestCluster.Current;
        using var http = _server.ClientWithToken(await ReliabilityServer.TokenAsync(env["OIDC_TOKEN_URL"], env["DEMO_CLIENT_ID"], env["DEMO_CLIENT_SECRET"]));
        using var openApi = JsonDocument.Parse(await http.GetStringAsync("/openapi.json"));
        var cases = FuzzInputs.For(openApi.RootElement);
        var routes = openApi.RootElement.GetProperty("paths").EnumerateObject().Count();

        var results = new ConcurrentBag<(FuzzCase Case, int Status, string? Problem)>();
        using var gate = new SemaphoreSlim(8);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(cases.Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                results.Add(await SendAsync(http, c));
            }
            finally
            {
                gate.Release();
            }
        }));
        var took = sw.Elapsed;

        using var live = await _server.CreateClient().GetAsync("/status/liveness/");
        var byStatus = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{cases.Count} inputs over {routes} routes in {took.TotalSeconds:0.0} s: {string.Join(", ", byStatus)}");
        var problems = results.Where(r => r.Problem is not null).OrderBy(r => r.Case.ToString()).ToList();
        foreach (var p in problems) output.WriteLine($"PROBLEM {p.Case} -> {p.Status}: {p.Problem}");

        Assert.True(cases.Count >= 300, $"only {cases.Count} inputs generated");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty(problems.Select(p => $"{p.Case} -> {p.Status}: {p.Problem}"));
        Assert.True(took < Budget, $"fuzz took {took.TotalSeconds:0} s (budget {Budget.TotalSeconds} s)");
    }

    private static async Task<(FuzzCase, int, string?)> SendAsync(HttpClient http, FuzzCase c)
    {
        using var timeout = new CancellationTokenSource(PerRequest);
        using var req = new HttpRequestMessage(c.Method, c.Url) { Content = c.Body?.Invoke() };
        try
        {
            using var resp = await http.SendAsync(req, timeout.Token);
            var status = (int)resp.StatusCode;
            var text = await resp.Content.ReadAsStringAsync(timeout.Token);
            if (KnownExceptions.TryGetValue(c.ToString(), out var expected))
                return (c, status, expected.Contains(status) ? null : $"known exception now gives {status}: {Short(text)}");
            if (status is < 400 or >= 500) return (c, status, $"not a 4xx: {Short(text)}");
            return (c, status, EnvelopeProblem(text));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (c, 0, $"no answer within {PerRequest.TotalSeconds} s");
        }
    }

    private static string? EnvelopeProblem(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "body is not a JSON object";
            if (!root.TryGetProperty("errorType", out var type) || type.GetString() is not ("error" or "validation")) return $"no errorType: {Short(text)}";
            if (!root.TryGetProperty("message", out var m) || string.IsNullOrWhiteSpace(m.GetString())) return $"no message: {Short(text)}";
            return null;
        }
        catch (JsonException)
        {
            return $"not JSON: {Short(text)}";
        }
    }

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
