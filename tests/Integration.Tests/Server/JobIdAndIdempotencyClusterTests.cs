using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Integration.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// On the local Slurm: an array element id (<c>123_1</c>) reaches the Slurm array path from the REST API and MCP; an
/// idempotency key submits once in direct mode and through the server, and a reused key with another script is refused.
/// </summary>
public sealed class JobIdAndIdempotencyClusterTests(LiveServer server, DirectEngine engine) : IClassFixture<LiveServer>, IClassFixture<DirectEngine>
{
    private IHpcOperations Direct => engine.Fireuser;

    private static object Body(string name, string script) =>
        new { job = new { name, workingDirectory = "/home/fireuser", standardOutput = "/dev/null", script } };

    [Fact]
    public async Task An_array_element_is_read_through_REST_and_MCP()
    {
        using var http = await server.ClientForAsync();
        var name = UniqueName("arr");
        using var submitted = await http.PostAsJsonAsync($"/compute/{server.System}/jobs",
            Body(name, "#!/bin/bash\n#SBATCH --array=0-2\nsleep 1\n"));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var arrayId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        var element = arrayId + "_1";

        JsonElement job = default;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            while (true)
            {
                using var r = await http.GetAsync($"/compute/{server.System}/jobs/{element}", cts.Token);
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    job = (await r.Content.ReadFromJsonAsync<JsonElement>(cts.Token)).GetProperty("jobs")[0];
                    if (job.GetProperty("status").GetProperty("state").GetString() == "COMPLETED") break;
                }
                else Assert.Equal(HttpStatusCode.NotFound, r.StatusCode); // not listed yet right after submit
                await Task.Delay(500, cts.Token);
            }
        }
        Assert.Equal(element, job.GetProperty("jobId").GetString());
        Assert.Equal(name, job.GetProperty("name").GetString());

        using var meta = await http.GetAsync($"/compute/{server.System}/jobs/{element}/metadata");
        Assert.Equal(HttpStatusCode.OK, meta.StatusCode);

        using var bad = await http.GetAsync($"/compute/{server.System}/jobs/{arrayId}%3Bid");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        await using var mcp = await server.McpClientForAsync();
        var tool = await mcp.CallToolAsync("get_job", new Dictionary<string, object?> { ["system"] = server.System, ["job_id"] = element });
        Assert.True(tool.IsError != true, tool.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text);
        var viewed = tool.StructuredContent!.Value.GetProperty("job");
        Assert.Equal(element, viewed.GetProperty("jobId").GetString());
        Assert.Equal("completed", viewed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Direct_mode_submits_once_per_key_and_refuses_the_key_for_another_script()
    {
        var name = UniqueName("idem");
        var key = "idem-" + Guid.NewGuid().ToString("N");
        JobDescription Job(string script) => new() { Name = name, WorkingDirectory = "/home/fireuser", StandardOutput = "/dev/null", Script = script };
        var first = await Direct.Compute.SubmitJobAsync(server.System, Job("#!/bin/bash\ntrue\n"), key);
        var again = await Direct.Compute.SubmitJobAsync(server.System, Job("#!/bin/bash\ntrue\n"), key);
        Assert.Equal(first, again);

        var e = await Assert.ThrowsAsync<HpcException>(() => Direct.Compute.SubmitJobAsync(server.System, Job("#!/bin/bash\nfalse\n"), key));
        Assert.Equal(HpcErrorKind.IdempotencyMismatch, e.Kind);

        Assert.Equal([first], await JobIdsNamedAsync(name, first));
    }

    [Fact]
    public async Task Through_the_server_a_key_submits_once_and_another_script_with_it_is_422()
    {
        using var http = await server.ClientForAsync();
        var name = UniqueName("idemr");
        var key = "idem-" + Guid.NewGuid().ToString("N");
        async Task<HttpResponseMessage> Submit(string script)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/compute/{server.System}/jobs") { Content = JsonContent.Create(Body(name, script)) };
            request.Headers.Add("Idempotency-Key", key);
            return await http.SendAsync(request);
        }
        using var one = await Submit("#!/bin/bash\ntrue\n");
        using var two = await Submit("#!/bin/bash\ntrue\n");
        var first = (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        Assert.Equal(first, (await two.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString());

        using var other = await Submit("#!/bin/bash\nfalse\n");
        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        var envelope = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["errorType", "message", "causedBy", "data", "user"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Contains("Idempotency-Key", envelope.GetProperty("message").GetString());

        Assert.Equal([first], await JobIdsNamedAsync(name, first));
    }

    /// <summary>Ids of the jobs called <paramref name="name"/>, once the scheduler's listing shows <paramref name="expected"/> ended.</summary>
    private async Task<string[]> JobIdsNamedAsync(string name, string expected)
    {
        await Client.ClientFixture.WaitForEndAsync(Direct, server.System, expected);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            // Accounting may list a just-ended job a moment after the controller forgot it.
            var jobs = await Direct.Compute.GetJobsAsync(server.System, new JobQuery(Name: name), cts.Token);
            if (jobs.Any(j => j.JobId == expected)) return jobs.Select(j => j.JobId).ToArray();
            await Task.Delay(1000, cts.Token);
        }
    }
}
