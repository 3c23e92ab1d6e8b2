using System.Net;
using System.Text;
using System.Text.Json;
using Firecrest.Integration.Tests.Infrastructure;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// What pyFirecREST and scripts send, against the real cluster in both scheduler modes: a submit without a
/// content type, a job list with empty <c>account=</c>/<c>name=</c> and a boolean word.
/// </summary>
public abstract class SchedulerModeWireTests(LiveServer server)
{
    [Fact]
    public async Task Job_submitted_without_content_type_is_listed_with_empty_filters()
    {
        using var http = await server.ClientForAsync("fireuser");
        var name = "wire-" + Guid.NewGuid().ToString("N")[..8];
        var json = $$$"""{"job":{"name":"{{{name}}}","workingDirectory":"/home/fireuser","script":"#!/bin/bash\nsleep 30\n"}}""";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)); // no Content-Type, as requests.post(data=...)
        using var submit = await http.PostAsync($"/compute/{server.System}/jobs", content);
        var body = await submit.Content.ReadAsStringAsync();
        Assert.True(submit.StatusCode == HttpStatusCode.Created, body);
        var jobId = JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
        try
        {
            using var list = await http.GetAsync($"/compute/{server.System}/jobs?account=&name=&allusers=no");
            var listed = await list.Content.ReadAsStringAsync();
            Assert.True(list.StatusCode == HttpStatusCode.OK, listed);
            var jobs = JsonDocument.Parse(listed).RootElement.GetProperty("jobs").EnumerateArray().ToList();
            Assert.Contains(jobs, j => j.GetProperty("jobId").GetString() == jobId && j.GetProperty("name").GetString() == name);
            Assert.All(jobs, j => Assert.Equal("fireuser", j.GetProperty("user").GetString()));
        }
        finally
        {
            await http.DeleteAsync($"/compute/{server.System}/jobs/{jobId}");
        }
    }

    [Fact]
    public async Task Form_body_on_a_json_route_is_a_400_validation_error()
    {
        using var http = await server.ClientForAsync("fireuser");
        using var form = new FormUrlEncodedContent([new("job", "x")]);
        using var response = await http.PostAsync($"/compute/{server.System}/jobs", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
    }
}

/// <summary>Scheduler over SSH (Slurm CLI).</summary>
public sealed class SshModeWireTests(LiveServer server) : SchedulerModeWireTests(server), IClassFixture<LiveServer>;

/// <summary>Scheduler over slurmrestd only.</summary>
public sealed class RestModeWireTests(RestLiveServer server) : SchedulerModeWireTests(server), IClassFixture<RestLiveServer>;
