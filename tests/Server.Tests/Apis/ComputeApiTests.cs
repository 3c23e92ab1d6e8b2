using System.Net.Http.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Apis;

public sealed class ComputeApiTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Submit_is_201_with_jobId_and_accepts_snake_case_keys()
    {
        var response = await _f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json(
            """{"job":{"name":"t","current_working_directory":"/home/fireuser","script_path":"/home/fireuser/run.sh","environment":{"A":"1"},"standard_output":"out.txt"}}"""));
        var body = await response.AssertStatus(201);
        Assert.Equal(["jobId"], body.Keys());
        var job = (JobDescription)_f.Engine.Last("SubmitJob").Args[1]!;
        Assert.Equal("/home/fireuser", job.WorkingDirectory);
        Assert.Equal("/home/fireuser/run.sh", job.ScriptPath);
        Assert.Equal("out.txt", job.StandardOutput);
        Assert.Equal("1", job.Env!["A"]);
    }

    [Fact]
    public async Task Submit_accepts_camelCase_and_env_as_a_list()
    {
        await (await _f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json(
            """{"job":{"workingDirectory":"/home/fireuser","script":"#!/bin/bash\necho hi","env":["A=1","B=x=y"]}}"""))).AssertStatus(201);
        var job = (JobDescription)_f.Engine.Last("SubmitJob").Args[1]!;
        Assert.Equal("x=y", job.Env!["B"]);
        Assert.Equal("#!/bin/bash\necho hi", job.Script);
    }

    [Fact]
    public async Task Submit_without_working_directory_is_400_validation()
    {
        var body = await (await _f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json("""{"job":{"script":"x"}}"""))).AssertError(400);
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
        Assert.Equal("body", body.GetProperty("data").GetProperty("fields")[0].GetProperty("location").GetString());
        Assert.Equal(0, _f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Same_idempotency_key_submits_once_and_returns_the_first_id()
    {
        var client = _f.ClientFor();
        async Task<string> Submit(string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/compute/cluster/jobs") { Content = Http.Json("""{"job":{"workingDirectory":"/home/fireuser","script":"x"}}""") };
            request.Headers.Add("Idempotency-Key", key);
            return (await (await client.SendAsync(request)).AssertStatus(201)).GetProperty("jobId").GetString()!;
        }
        var first = await Submit("k1");
        Assert.Equal(first, await Submit("k1"));
        Assert.NotEqual(first, await Submit("k2"));
        Assert.Equal(2, _f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Concurrent_duplicates_with_one_key_submit_once()
    {
        var gate = new TaskCompletionSource();
        _f.Engine.SubmitGate = gate.Task;
        var client = _f.ClientFor();
        var requests = Enumerable.Range(0, 8).Select(async _ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/compute/cluster/jobs") { Content = Http.Json("""{"job":{"workingDirectory":"/home/fireuser","script":"x"}}""") };
            request.Headers.Add("Idempotency-Key", "same");
            return (await (await client.SendAsync(request)).AssertStatus(201)).GetProperty("jobId").GetString();
        }).ToList();
        await _f.Engine.SubmitStarted.Task; // one submit is in flight, held until the gate opens
        Assert.All(requests, r => Assert.False(r.IsCompleted));
        gate.SetResult();
        var ids = await Task.WhenAll(requests);
        Assert.Single(ids.Distinct());
        Assert.Equal(1, _f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_request_is_422_and_submits_nothing()
    {
        var client = _f.ClientFor();
        async Task<HttpResponseMessage> Submit(string script)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/compute/cluster/jobs") { Content = Http.Json($$$"""{"job":{"workingDirectory":"/home/fireuser","script":"{{{script}}}"}}""") };
            request.Headers.Add("Idempotency-Key", "reused");
            return await client.SendAsync(request);
        }
        await (await Submit("x")).AssertStatus(201);
        var body = await (await Submit("y")).AssertError(422);
        Assert.Contains("Idempotency-Key 'reused'", body.GetProperty("message").GetString());
        Assert.Equal(1, _f.Engine.Count("SubmitJob"));
        Assert.Equal("reused", _f.Engine.Last("SubmitJob").Args[2]);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_user()
    {
        foreach (var user in new[] { "fireuser", "fireuser2" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/compute/cluster/jobs") { Content = Http.Json("""{"job":{"workingDirectory":"/w","script":"x"}}""") };
            request.Headers.Add("Idempotency-Key", "shared");
            await (await _f.ClientFor(user).SendAsync(request)).AssertStatus(201);
        }
        Assert.Equal(2, _f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Job_list_passes_filters_and_checks_time_window_and_name_length()
    {
        var client = _f.ClientFor();
        var body = await (await client.GetAsync("/compute/cluster/jobs?allusers=true&account=hpcproj&name=x&time_window=3d")).AssertStatus(200);
        Assert.Equal("42", body.GetProperty("jobs")[0].GetProperty("jobId").GetString());
        Assert.Equal(new JobQuery(true, "hpcproj", "x", "3d"), _f.Engine.Last("GetJobs").Args[1]);
        var bad = await (await client.GetAsync("/compute/cluster/jobs?time_window=2d")).AssertError(400);
        Assert.Equal("time_window", bad.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
        await (await client.GetAsync("/compute/cluster/jobs?name=" + new string('a', 236))).AssertError(400);
    }

    [Fact]
    public async Task Job_job_metadata_attach_and_cancel_have_the_upstream_statuses()
    {
        var client = _f.ClientFor();
        var job = (await (await client.GetAsync("/compute/cluster/jobs/42")).AssertStatus(200)).GetProperty("jobs")[0];
        Assert.Equal(["jobId", "name", "status", "tasks", "time", "account", "allocationNodes", "cluster", "group", "nodes", "partition", "killRequestUser", "user", "workingDirectory", "priority"], job.Keys());
        Assert.Equal(["state", "stateReason", "exitCode", "interruptSignal"], job.GetProperty("status").Keys());
        var meta = (await (await client.GetAsync("/compute/cluster/jobs/42/metadata")).AssertStatus(200)).GetProperty("jobs")[0];
        Assert.Equal(["jobId", "script", "standardInput", "standardOutput", "standardError"], meta.Keys());
        await (await client.SendJson(HttpMethod.Put, "/compute/cluster/jobs/42/attach", """{"command":"hostname"}""")).AssertStatus(204);
        Assert.Equal("hostname", _f.Engine.Last("Attach").Args[2]);
        await (await client.DeleteAsync("/compute/cluster/jobs/42")).AssertStatus(204);
        Assert.Equal("42", _f.Engine.Last("CancelJob").Args[1]);
    }

    [Theory]
    [InlineData("42%3Bid")]
    [InlineData("42%20x")]
    [InlineData("abc")]
    [InlineData("42%0A")]
    public async Task Job_id_outside_the_grammar_is_400_naming_job_id(string segment)
    {
        var body = await (await _f.ClientFor().GetAsync("/compute/cluster/jobs/" + segment)).AssertError(400);
        Assert.Equal("job_id", body.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
        Assert.Contains("job_id", body.GetProperty("message").GetString());
        Assert.Equal(0, _f.Engine.Count("GetJob"));
    }

    [Theory]
    [InlineData("42_1", "42_1")]
    [InlineData("42_%5B1-3%5D", "42_[1-3]")]
    [InlineData("42+1", "42+1")]
    [InlineData("42.pbs01", "42.pbs01")]
    public async Task Array_het_and_PBS_job_ids_reach_the_engine_unchanged(string segment, string expected)
    {
        var client = _f.ClientFor();
        await (await client.GetAsync("/compute/cluster/jobs/" + segment)).AssertStatus(200);
        Assert.Equal(expected, _f.Engine.Last("GetJob").Args[1]);
        await (await client.GetAsync("/compute/cluster/jobs/" + segment + "/metadata")).AssertStatus(200);
        Assert.Equal(expected, _f.Engine.Last("GetJobMetadata").Args[1]);
        await (await client.DeleteAsync("/compute/cluster/jobs/" + segment)).AssertStatus(204);
        Assert.Equal(expected, _f.Engine.Last("CancelJob").Args[1]);
    }

    [Fact]
    public async Task Unknown_job_is_404_from_the_engine()
    {
        _f.Engine.Failures["GetJob"] = new HpcException(HpcErrorKind.NotFound, "Job not found.");
        await (await _f.ClientFor().GetAsync("/compute/cluster/jobs/9999")).AssertError(404, "Job not found.");
    }

    [Fact]
    public async Task Unhealthy_scheduler_is_503()
    {
        _f.Engine.Unhealthy.Add(("cluster", "scheduler"));
        await (await _f.ClientFor().GetAsync("/compute/cluster/jobs")).AssertError(503, "The scheduler service for the requested system (cluster) is unhealthy.");
    }

    [Theory]
    [InlineData(HpcErrorKind.InvalidArgument, 400)]
    [InlineData(HpcErrorKind.NotFound, 404)]
    [InlineData(HpcErrorKind.PermissionDenied, 403)]
    [InlineData(HpcErrorKind.QuotaExceeded, 403)]
    [InlineData(HpcErrorKind.AlreadyExists, 400)]
    [InlineData(HpcErrorKind.Timeout, 408)]
    [InlineData(HpcErrorKind.TooLarge, 413)]
    [InlineData(HpcErrorKind.ConnectionFailed, 424)]
    [InlineData(HpcErrorKind.Unavailable, 503)]
    [InlineData(HpcErrorKind.NotImplemented, 501)]
    [InlineData(HpcErrorKind.Unauthenticated, 401)]
    [InlineData(HpcErrorKind.RateLimited, 429)]
    [InlineData(HpcErrorKind.Internal, 500)]
    public async Task Engine_error_kinds_map_to_their_statuses(HpcErrorKind kind, int status)
    {
        _f.Engine.Failures["CancelJob"] = new HpcException(kind, "boom") { CausedBy = ["cause 1"] };
        var body = await (await _f.ClientFor().DeleteAsync("/compute/cluster/jobs/42")).AssertError(status, "boom");
        Assert.Equal("cause 1", body.GetProperty("causedBy")[0].GetString());
    }

    [Fact]
    public async Task Unexpected_exceptions_are_500_without_stack_traces()
    {
        _f.Engine.Failures["CancelJob"] = new InvalidOperationException("secret internals");
        var response = await _f.ClientFor().DeleteAsync("/compute/cluster/jobs/42");
        var text = await response.Content.ReadAsStringAsync();
        await response.AssertError(500, "Internal server error");
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("secret internals", text);
    }

    [Theory]
    [InlineData(SchedulerConnectionMode.Ssh)]
    [InlineData(SchedulerConnectionMode.Hybrid)]
    public async Task Unhealthy_ssh_is_503_on_compute_routes_when_the_scheduler_uses_ssh(SchedulerConnectionMode mode)
    {
        using var f = new FirecrestFactory(s => s.Clusters[0].Scheduler.ConnectionMode = mode);
        f.Engine.Unhealthy.Add(("cluster", "ssh"));
        await (await f.ClientFor().GetAsync("/compute/cluster/jobs")).AssertError(503, "The ssh service for the requested system (cluster) is unhealthy.");
        await (await f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json("""{"job":{"workingDirectory":"/home/w","script":"true"}}"""))).AssertError(503);
        Assert.Equal(0, f.Engine.Count("GetJobs") + f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Unhealthy_ssh_does_not_gate_compute_routes_in_rest_mode()
    {
        using var f = new FirecrestFactory(s => s.Clusters[0].Scheduler.ConnectionMode = SchedulerConnectionMode.Rest);
        f.Engine.Unhealthy.Add(("cluster", "ssh"));
        await (await f.ClientFor().GetAsync("/compute/cluster/jobs")).AssertStatus(200);
    }
}
