using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Reliability;

/// <summary>
/// Who may do what, on the real server against the local cluster: each request runs as its own cluster user, the rate
/// limit holds under a burst, and no secret reaches logs, error answers or <c>/status/systems</c>.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SecurityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerSecond = 5;
    private const int Burst = 20;
    private ReliabilityServer _server = null!;
    private string _token1 = null!;
    private string _token2 = null!;

    private static TestCluster Env => TestCluster.Current;

    public async Task InitializeAsync()
    {
        _server = new ReliabilityServer(Env.ConfigPath, new Dictionary<string, string>
        {
            ["Server:RateLimitPerSecond"] = PerSecond.ToString(),
            ["Server:RateLimitBurst"] = Burst.ToString(),
        });
        _token1 = await ReliabilityServer.TokenAsync(Env["OIDC_TOKEN_URL"], Env["DEMO_CLIENT_ID"], Env["DEMO_CLIENT_SECRET"]);
        _token2 = await ReliabilityServer.TokenAsync(Env["OIDC_TOKEN_URL"], Env["DEMO_CLIENT2_ID"], Env["DEMO_CLIENT2_SECRET"]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Sends with retries on 429 so that the low test rate limit does not disturb the functional checks.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> request)
    {
        while (true)
        {
            var r = await http.SendAsync(request());
            if (r.StatusCode != HttpStatusCode.TooManyRequests) return r;
            r.Dispose();
            await Task.Delay(1100);
        }
    }

    private static Func<HttpRequestMessage> Get(string url) => () => new HttpRequestMessage(HttpMethod.Get, url);

    [Fact]
    public async Task Fireuser2_cannot_read_fireusers_private_files()
    {
        using var owner = _server.ClientWithToken(_token1);
        using var other = _server.ClientWithToken(_token2);
        var dir = $"/home/fireuser/reliab-private-{Guid.NewGuid():N}";
        using (var r = await SendAsync(owner, () => new HttpRequestMessage(HttpMethod.Post, "/filesystem/cluster/ops/mkdir") { Content = JsonContent.Create(new { path = dir }) }))
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        try
        {
            using (var r = await SendAsync(owner, () =>
            {
                var form = new MultipartFormDataContent { { new ByteArrayContent("top secret"u8.ToArray()), "file", "secret.txt" } };
                return new HttpRequestMessage(HttpMethod.Post, $"/filesystem/cluster/ops/upload?path={Uri.EscapeDataString(dir)}") { Content = form };
            }))
                Assert.True(r.IsSuccessStatusCode, $"upload: {(int)r.StatusCode}");
            foreach (var (path, mode) in new[] { ($"{dir}/secret.txt", "600"), (dir, "700") })
                using (var r = await SendAsync(owner, () => new HttpRequestMessage(HttpMethod.Put, "/filesystem/cluster/ops/chmod") { Content = JsonContent.Create(new { path, mode }) }))
                    Assert.Equal(HttpStatusCode.OK, r.StatusCode);

            using (var mine = await SendAsync(owner, Get($"/filesystem/cluster/ops/view?path={Uri.EscapeDataString(dir + "/secret.txt")}")))
                Assert.Contains("top secret", await mine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            foreach (var route in new[] { "view", "head", "download", "checksum", "ls" })
            {
                var target = route == "ls" ? dir : dir + "/secret.txt";
                using var r = await SendAsync(other, Get($"/filesystem/cluster/ops/{route}?path={Uri.EscapeDataString(target)}"));
                var text = await r.Content.ReadAsStringAsync();
                output.WriteLine($"fireuser2 {route}: {(int)r.StatusCode} {text}");
                Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
                Assert.DoesNotContain("top secret", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            using var rm = await SendAsync(owner, () => new HttpRequestMessage(HttpMethod.Delete, $"/filesystem/cluster/ops/rm?path={Uri.EscapeDataString(dir)}"));
        }
    }

    [Fact]
    public async Task Fireuser2_cannot_cancel_fireusers_job()
    {
        using var owner = _server.ClientWithToken(_token1);
        using var other = _server.ClientWithToken(_token2);
        using var submit = await SendAsync(owner, () => new HttpRequestMessage(HttpMethod.Post, "/compute/cluster/jobs")
        {
            Content = JsonContent.Create(new { job = new { name = "reliab-cancel", workingDirectory = "/home/fireuser", script = "#!/bin/bash\nsleep 300\n" } }),
        });
        Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        var jobId = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").ToString();
        try
        {
            using var refused = await SendAsync(other, () => new HttpRequestMessage(HttpMethod.Delete, $"/compute/cluster/jobs/{jobId}"));
            output.WriteLine($"fireuser2 cancels {jobId}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.InRange((int)refused.StatusCode, 400, 499);

            using var job = await SendAsync(owner, Get($"/compute/cluster/jobs/{jobId}"));
            var state = JsonDocument.Parse(await job.Content.ReadAsStringAsync()).RootElement.GetProperty("jobs")[0].GetProperty("status").GetProperty("state").ToString();
            output.WriteLine($"state after the refused cancel: {state}");
            Assert.Contains(state, new[] { "PENDING", "RUNNING", "CONFIGURING" });
        }
        finally
        {
            using var cancel = await SendAsync(owner, () => new HttpRequestMessage(HttpMethod.Delete, $"/compute/cluster/jobs/{jobId}"));
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }
    }

    [Fact]
    public async Task Rate_limit_holds_under_a_burst_and_other_users_are_unaffected()
    {
        using var one = _server.ClientWithToken(_token1);
        using var two = _server.ClientWithToken(_token2);
        await Task.Delay(TimeSpan.FromSeconds(Burst / PerSecond + 1)); // a full bucket
        var sw = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, Burst + 50).Select(_ => one.GetAsync("/status/systems")));
        var elapsed = sw.Elapsed;
        using var second = await two.GetAsync("/status/systems");
        var ok = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        output.WriteLine($"burst of {answers.Length} in {elapsed.TotalMilliseconds:0} ms: {ok} OK, {limited.Count} × 429; fireuser2 meanwhile: {(int)second.StatusCode}");
        Assert.Equal(answers.Length, ok + limited.Count);
        Assert.InRange(ok, Burst, Burst + (int)Math.Ceiling(elapsed.TotalSeconds * PerSecond) + PerSecond);
        Assert.NotEmpty(limited);
        foreach (var r in limited)
        {
            Assert.True(int.Parse(r.Headers.RetryAfter!.ToString()) >= 1);
            Assert.Equal("error", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        foreach (var a in answers) a.Dispose();
    }

    [Fact]
    public async Task No_secret_appears_in_logs_errors_or_status_systems()
    {
        using var http = _server.ClientWithToken(_token1);
        var bodies = new List<string>();
        async Task Collect(HttpClient c, Func<HttpRequestMessage> req)
        {
            using var r = await SendAsync(c, req);
            bodies.Add(await r.Content.ReadAsStringAsync());
        }
        await Collect(http, Get("/status/systems"));
        await Collect(http, Get("/status/cluster/userinfo"));
        await Collect(http, Get("/filesystem/cluster/ops/view?path=/home/fireuser2/.ssh/id_ed25519"));
        await Collect(http, Get("/filesystem/cluster/ops/ls?path=/home/fireuser/does-not-exist"));
        await Collect(http, Get("/compute/cluster/jobs/abc"));
        using (var tampered = _server.ClientWithToken(_token1[..^6] + "AAAAAA")) await Collect(tampered, Get("/status/systems"));
        using (var anonymous = _server.CreateClient()) await Collect(anonymous, Get("/status/systems"));
        await Collect(http, () => new HttpRequestMessage(HttpMethod.Post, "/filesystem/cluster/transfer/upload")
        {
            Content = JsonContent.Create(new { path = "/home/fireuser/reliab-no-such-dir/x", transferDirectives = new { transferMethod = "s3", fileSize = -5 } }),
        });

        var s3Secret = File.ReadAllText(Path.Combine(Env["TESTENV_DIR"], "s3", "secret_access_key")).Trim();
        var keyBody = File.ReadAllLines(Env["SSH_KEY_FIREUSER"]).Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length > 20).ToList();
        var secrets = new Dictionary<string, string>
        {
            ["fireuser access token"] = _token1,
            ["fireuser access token signature"] = _token1.Split('.')[2],
            ["fireuser2 access token"] = _token2,
            ["service account secret"] = Env["DEMO_CLIENT_SECRET"],
            ["demo client 2 secret"] = Env["DEMO_CLIENT2_SECRET"],
            ["private key"] = keyBody[0],
            ["private key header"] = "PRIVATE KEY-----",
        };
        var logs = _server.Logs.Text;
        Assert.NotEmpty(_server.Logs.Lines);
        foreach (var (name, secret) in secrets)
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"{name} in the logs");
            Assert.All(bodies, b => Assert.False(b.Contains(secret, StringComparison.Ordinal), $"{name} in an answer: {b}"));
        }
        // The S3 secret of the test storage is the well-known "S3RVER", also its access key id: check it as a field value.
        // /status/systems shows the configuration with its secret fields masked (upstream does the same): every field
        // named like a secret or key holds only '*' (or nothing).
        var masked = SecretFields(JsonDocument.Parse(bodies[0]).RootElement).ToList();
        Assert.NotEmpty(masked);
        Assert.All(masked, f => Assert.True(f.Value.All(ch => ch == '*'), $"{f.Name} not masked: {f.Value}"));
        Assert.DoesNotContain("secret_file:", bodies[0] + logs, StringComparison.Ordinal);
        Assert.DoesNotContain(s3Secret, bodies[0], StringComparison.Ordinal);
        output.WriteLine($"{_server.Logs.Lines.Count} log lines and {bodies.Count} answers checked for {secrets.Count + 3} secrets");
    }

    private static IEnumerable<(string Name, string Value)> SecretFields(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray())
                foreach (var f in SecretFields(item)) yield return f;
        if (e.ValueKind != JsonValueKind.Object) yield break;
        foreach (var p in e.EnumerateObject())
        {
            var lower = p.Name.ToLowerInvariant();
            if (p.Value.ValueKind == JsonValueKind.String && (lower.Contains("secret") || lower.Contains("accesskey") || lower.Contains("privatekey") || lower.Contains("password")))
                yield return (p.Name, p.Value.GetString()!);
            foreach (var f in SecretFields(p.Value)) yield return f;
        }
    }
}
