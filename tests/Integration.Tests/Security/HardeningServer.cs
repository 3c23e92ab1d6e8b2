using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// The real server in process against the local cluster with fireuser's and fireuser2's tokens, for the hardening
/// tests (each attack of the security review replayed); helpers for the calls they repeat.
/// </summary>
public sealed class HardeningServer : IAsyncLifetime
{
    public ReliabilityServer Server { get; private set; } = null!;
    public HttpClient User1 { get; private set; } = null!;
    public HttpClient User2 { get; private set; } = null!;

    public static TestCluster Env => TestCluster.Current;

    public async Task InitializeAsync()
    {
        Server = new ReliabilityServer(Env.ConfigPath);
        User1 = Server.ClientWithToken(await ReliabilityServer.TokenAsync(Env["OIDC_TOKEN_URL"], Env["DEMO_CLIENT_ID"], Env["DEMO_CLIENT_SECRET"]));
        User2 = Server.ClientWithToken(await ReliabilityServer.TokenAsync(Env["OIDC_TOKEN_URL"], Env["DEMO_CLIENT2_ID"], Env["DEMO_CLIENT2_SECRET"]));
    }

    public async Task DisposeAsync()
    {
        User1.Dispose();
        User2.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Submits an inline script as fireuser in /home/fireuser; returns the job id.</summary>
    public async Task<string> SubmitAsync(string script, object? env = null, HttpClient? as_ = null)
    {
        using var r = await (as_ ?? User1).PostAsJsonAsync("/compute/cluster/jobs",
            new { job = new { name = "hardening", workingDirectory = "/home/fireuser", script = "#!/bin/bash\n" + script + "\n", env } });
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"submit: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").ToString();
    }

    /// <summary>Polls the job until its state is one of <paramref name="states"/> (60 s at most).</summary>
    public async Task<string> WaitForStateAsync(string jobId, params string[] states)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var state = "";
        while (DateTime.UtcNow < deadline)
        {
            using var r = await User1.GetAsync($"/compute/cluster/jobs/{jobId}");
            if (r.IsSuccessStatusCode)
            {
                state = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("jobs")[0].GetProperty("status").GetProperty("state").ToString();
                if (states.Contains(state)) return state;
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"job {jobId} stayed {state}");
    }

    public async Task CancelAsync(string jobId)
    {
        using var _ = await User1.DeleteAsync($"/compute/cluster/jobs/{jobId}");
    }

    /// <summary>The error envelope's message (or the whole body when it is not one).</summary>
    public static async Task<string> MessageAsync(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString() ?? text; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return text; }
    }
}
