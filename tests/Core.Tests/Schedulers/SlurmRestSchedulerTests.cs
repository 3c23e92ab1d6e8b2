using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class SlurmRestSchedulerTests
{
    private static readonly UserIdentity User = new("fireuser", "caller-jwt");
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static (SlurmRestScheduler Scheduler, FakeSlurmRestHandler Handler) Rest(string version, string? keyFile = null)
    {
        var handler = new FakeSlurmRestHandler();
        var cluster = new ClusterSettings
        {
            Name = "cluster-slurm-api",
            Scheduler = new SchedulerSettings { ConnectionMode = SchedulerConnectionMode.Rest, ApiUrl = "http://slurm:6820/", ApiVersion = version, JwtKeyFile = keyFile },
        };
        return (new SlurmRestScheduler(new HttpClient(handler), cluster) { Clock = new FixedClock(Now) }, handler);
    }

    private static JobDescription Job() => new()
    {
        Name = "test1", WorkingDirectory = "/home/test1", Partition = "part01", StandardOutput = "out.txt", Script = "#!/bin/bash\necho hi\n",
    };

    [Fact]
    public async Task Submit_0_0_38_puts_the_script_beside_the_job_with_an_environment_map()
    {
        var (rest, handler) = Rest("0.0.38");
        handler.On("POST", "/slurm/v0.0.38/job/submit", Api("slurm_submit_job"));
        Assert.Equal("24", await rest.SubmitJobAsync(User, Job(), CancellationToken.None)); // the recorded job_id

        var r = Assert.Single(handler.Requests);
        Assert.Equal("http://slurm:6820/slurm/v0.0.38/job/submit", r.Uri.ToString());
        Assert.Equal("fireuser", r.Headers["X-SLURM-USER-NAME"]);
        Assert.Equal("caller-jwt", r.Headers["X-SLURM-USER-TOKEN"]);
        Assert.Equal("application/json", r.ContentType);
        Assert.Equal(
            """{"job":{"name":"test1","partition":"part01","current_working_directory":"/home/test1","standard_output":"out.txt","environment":{"F7T_version":"v2.0.0"}},"script":"#!/bin/bash\necho hi\n"}""",
            r.Body);
    }

    [Fact]
    public async Task Submit_0_0_40_sends_the_environment_as_a_list()
    {
        var (rest, handler) = Rest("0.0.40");
        handler.On("POST", "/slurm/v0.0.40/job/submit", """{"job_id":7,"errors":[]}""");
        var job = Job(); job.Env = new() { ["A"] = "1", ["B"] = "x y" }; job.Account = "acc"; job.Dependency = "afterok:3";
        Assert.Equal("7", await rest.SubmitJobAsync(User, job, CancellationToken.None));
        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.Equal(["A=1", "B=x y"], body.RootElement.GetProperty("job").GetProperty("environment").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("acc", body.RootElement.GetProperty("job").GetProperty("account").GetString());
        Assert.Equal("afterok:3", body.RootElement.GetProperty("job").GetProperty("dependency").GetString());
        Assert.True(body.RootElement.TryGetProperty("script", out _));
    }

    [Fact]
    public async Task Submit_0_0_42_puts_the_script_inside_the_job()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("POST", "/slurm/v0.0.42/job/submit", """{"job_id":8}""");
        await rest.SubmitJobAsync(User, Job(), CancellationToken.None);
        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.False(body.RootElement.TryGetProperty("script", out _));
        Assert.Equal("#!/bin/bash\necho hi\n", body.RootElement.GetProperty("job").GetProperty("script").GetString());
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("job").GetProperty("environment").ValueKind);
    }

    [Fact]
    public async Task Submit_errors_map_to_kinds()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("POST", "submit", """{"errors":[{"error":"QOSMaxSubmitJobPerUserLimit","description":"Job violates accounting/QOS policy"}]}""", HttpStatusCode.InternalServerError);
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => rest.SubmitJobAsync(User, Job(), CancellationToken.None));
        Assert.Equal(HpcErrorKind.QuotaExceeded, ex.Kind);
        Assert.Contains("QOS policy", ex.Message);
    }

    [Fact]
    public async Task Script_path_metadata_and_attach_are_not_implemented_without_ssh()
    {
        var (rest, handler) = Rest("0.0.42");
        var job = Job(); job.Script = null; job.ScriptPath = "/home/u/job.sh";
        Assert.Equal(HpcErrorKind.NotImplemented, (await Assert.ThrowsAnyAsync<HpcException>(() => rest.SubmitJobAsync(User, job, CancellationToken.None))).Kind);
        Assert.Equal(HpcErrorKind.NotImplemented, (await Assert.ThrowsAnyAsync<HpcException>(() => rest.GetJobMetadataAsync(User, "1", CancellationToken.None))).Kind);
        Assert.Equal(HpcErrorKind.NotImplemented, (await Assert.ThrowsAnyAsync<HpcException>(() => rest.AttachAsync(User, "1", "hostname", CancellationToken.None))).Kind);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Without_a_token_or_key_the_call_is_unauthenticated()
    {
        var (rest, handler) = Rest("0.0.42");
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => rest.GetNodesAsync(new UserIdentity("fireuser"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.Unauthenticated, ex.Kind);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task With_a_key_file_the_token_is_an_HS256_jwt_for_the_user()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            var key = RandomNumberGenerator.GetBytes(32);
            await File.WriteAllBytesAsync(keyFile, key);
            var (rest, handler) = Rest("0.0.38", keyFile);
            handler.On("GET", "/slurm/v0.0.38/ping", """{"pings":[{"hostname":"vm","ping":"UP"}]}""");
            Assert.Equal((true, "vm is UP"), await rest.PingAsync(User, CancellationToken.None));

            var token = handler.Requests[0].Headers["X-SLURM-USER-TOKEN"];
            Assert.NotEqual("caller-jwt", token);
            var parts = token.Split('.');
            Assert.Equal(3, parts.Length);
            Assert.Equal(SlurmJwt.Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]))), parts[2]);
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
            Assert.Equal("fireuser", claims.RootElement.GetProperty("sun").GetString());
            Assert.Equal(Now.ToUnixTimeSeconds(), claims.RootElement.GetProperty("iat").GetInt64());
            Assert.True(claims.RootElement.GetProperty("exp").GetInt64() > Now.ToUnixTimeSeconds());
        }
        finally { File.Delete(keyFile); }
    }

    private static byte[] FromBase64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    [Fact]
    public async Task Get_job_0_0_40_asks_slurmctld_and_slurmdbd_and_unwraps_complex_ints()
    {
        var (rest, handler) = Rest("0.0.40");
        handler.On("GET", "/slurm/v0.0.40/job/16", Api("slurm_get_job_v0.0.40")).On("GET", "/slurmdb/v0.0.40/job/16", Api("slurm_get_job_not_found_from_db_v0.0.42"));
        var jobs = await rest.GetJobAsync(User, "16", CancellationToken.None);

        Assert.Equal(["/slurm/v0.0.40/job/16", "/slurmdb/v0.0.40/job/16"], handler.Requests.Select(r => r.Uri.AbsolutePath).Order());
        var job = jobs[0];
        Assert.Equal("16", job.JobId);
        Assert.Equal("Count to 100", job.Name);
        Assert.Equal("RUNNING", job.Status.State);
        Assert.Equal(0, job.Status.ExitCode);
        Assert.Equal(0, job.Status.InterruptSignal); // no signal set: none, as sacct's 0:0 in the SSH mode
        Assert.Equal(7200 * 60, job.Time.Limit);
        Assert.Equal(1773058656, job.Time.Start);
        Assert.Equal(1, job.AllocationNodes);
        Assert.Equal(1, job.Priority);
        Assert.Equal(("fireuser", "users", "/home/fireuser", "part01"), (job.User, job.Group, job.WorkingDirectory, job.Partition));
    }

    [Fact]
    public async Task Get_job_0_0_38_from_slurmdbd_turns_steps_into_tasks()
    {
        var (rest, handler) = Rest("0.0.38");
        handler.On("GET", "/slurmdb/v0.0.38/job/42", Api("slurm_get_job_from_db")).On("GET", "/slurm/v0.0.38/job/42", "", HttpStatusCode.NotFound);
        var job = Assert.Single(await rest.GetJobAsync(User, "42", CancellationToken.None));
        Assert.Equal("18", job.JobId); // the recorded job
        Assert.Equal("COMPLETED", job.Status.State);
        Assert.Equal("None", job.Status.StateReason);
        Assert.Null(job.Time.Limit); // submitted without a limit
        Assert.Equal(1796303712, job.Time.End);
        Assert.Equal(("fireuser", "SbatchTest", "hpcproj"), (job.User, job.Name, job.Account));
        Assert.Equal("18.batch", job.Tasks![0].Id);
        Assert.Equal("COMPLETED", job.Tasks[0].Status.State);
    }

    [Fact]
    public async Task Get_job_0_0_38_from_slurmctld_reads_the_pending_job()
    {
        var (rest, handler) = Rest("0.0.38");
        handler.On("GET", "/slurm/v0.0.38/job/24", Api("slurm_get_job")).On("GET", "/slurmdb/v0.0.38/job/24", Api("slurm_get_job_not_found_from_db"));
        var job = Assert.Single(await rest.GetJobAsync(User, "24", CancellationToken.None));
        Assert.Equal(("24", "RestTest", "PENDING"), (job.JobId, job.Name, job.Status.State));
        Assert.Equal(5 * 60, job.Time.Limit);
        // As the SSH mode reads a pending job from squeue: no exit code, signal, end or suspended time yet, no nodes.
        Assert.Equal((null, null), (job.Status.ExitCode, job.Status.InterruptSignal));
        Assert.Equal((null, null), (job.Time.End, job.Time.Suspended));
        Assert.Null(job.Nodes);
        Assert.Equal(("fireuser", "debug", "/home/fireuser/f7t-transcripts/jobs"), (job.User, job.Partition, job.WorkingDirectory));
    }

    [Fact]
    public void A_running_job_of_slurmctld_has_no_end_yet_and_reads_its_exit_code_as_sacct_does()
    {
        var now = Now.ToUnixTimeSeconds();
        using var doc = System.Text.Json.JsonDocument.Parse($$"""
            {"job_id": 7, "job_state": "RUNNING", "start_time": {{now - 10}}, "end_time": {{now - 10 + 31536000}},
             "suspend_time": 0, "exit_code": 0, "time_limit": null, "nodes": "localhost"}
            """);
        var job = Firecrest.Core.Schedulers.Slurm.SlurmRestJson.ControllerJob(doc.RootElement, Now);
        Assert.Null(job.Time.End); // slurmctld's end_time is the projected end (start + a year for an unlimited job)
        Assert.Equal((10L, 0L), (job.Time.Elapsed, job.Time.Suspended));
        Assert.Equal((0, 0), (job.Status.ExitCode, job.Status.InterruptSignal));

        using var ended = System.Text.Json.JsonDocument.Parse($$"""{"job_id": 8, "job_state": "COMPLETED", "start_time": {{now - 10}}, "end_time": {{now - 4}}, "exit_code": 768}""");
        var done = Firecrest.Core.Schedulers.Slurm.SlurmRestJson.ControllerJob(ended.RootElement, Now);
        Assert.Equal((now - 4, 6L), (done.Time.End, done.Time.Elapsed));
        Assert.Equal((3, 0), (done.Status.ExitCode, done.Status.InterruptSignal));
    }

    [Theory]
    [InlineData("""{"status": "SUCCESS", "return_code": 0}""", 0, 0)]
    [InlineData("""{"status": ["SIGNALED"], "return_code": {"set": true, "number": 0}, "signal": {"id": {"set": true, "number": 9}, "name": "KILL"}}""", 0, 9)]
    [InlineData("""{"status": ["FAILED"], "return_code": {"set": true, "number": 2}, "signal": {"id": {"set": false, "number": 0}, "name": ""}}""", 2, 0)]
    public void An_exit_code_without_a_signal_has_signal_0_as_sacct_shows_it(string json, int code, int signal)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal((code, signal), Firecrest.Core.Schedulers.Slurm.SlurmRestJson.ExitCode(doc.RootElement) is var (c, s) ? (c!.Value, s!.Value) : default);
    }

    [Fact]
    public async Task Get_unknown_job_0_0_42_is_empty()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("GET", "/slurm/v0.0.42/job/134", Api("slurm_get_job_not_found_v0.0.42")).On("GET", "/slurmdb/v0.0.42/job/134", Api("slurm_get_job_not_found_from_db_v0.0.42"));
        Assert.Empty(await rest.GetJobAsync(User, "134", CancellationToken.None));
    }

    [Theory]
    [InlineData("0.0.38", "start_time=now-24hours", "")]
    [InlineData("0.0.40", "start_time=", "_v0.0.40")]
    public async Task Job_list_sends_start_time_by_version_and_filters_users_client_side(string version, string startTime, string bodies)
    {
        var (rest, handler) = Rest(version);
        handler.On("GET", $"/slurm/v{version}/jobs", Api("slurm_get_allusers_jobs" + bodies)).On("GET", $"/slurmdb/v{version}/jobs", Api("slurm_get_allusers_jobs_from_db" + bodies));
        var all = await rest.GetJobsAsync(User, new JobQuery(AllUsers: true), CancellationToken.None);
        var mine = await rest.GetJobsAsync(User, new JobQuery(), CancellationToken.None);

        var db = handler.Requests.First(r => r.Uri.AbsolutePath.StartsWith("/slurmdb/"));
        Assert.Contains(startTime, db.Uri.Query);
        if (version == "0.0.40") Assert.EndsWith("start_time=" + (Now.ToUnixTimeSeconds() - 86400), db.Uri.Query);
        Assert.True(all.Count > mine.Count);
        Assert.All(mine, j => Assert.Equal("fireuser", j.User));
        Assert.Contains(all, j => j.User == "fireuser2");
        Assert.Equal(all.Select(j => j.JobId).Distinct().Count(), all.Count);
    }

    [Fact]
    public async Task Job_list_0_0_42_by_name_filters_client_side()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("GET", "/slurm/v0.0.42/jobs", Api("slurm_get_jobs_by_name_v0.0.42")).On("GET", "/slurmdb/v0.0.42/jobs", Api("slurm_get_jobs_by_name_from_db_v0.0.42"));
        var jobs = await rest.GetJobsAsync(new UserIdentity("test-user", "t"), new JobQuery(Name: "NameExists", Account: "staff", TimeWindow: "7d"), CancellationToken.None);
        var job = Assert.Single(jobs);
        Assert.Equal("14", job.JobId);
        Assert.Equal("COMPLETED", job.Status.State);
        var db = handler.Requests.First(r => r.Uri.AbsolutePath.StartsWith("/slurmdb/"));
        Assert.Equal("?account=staff&start_time=" + (Now.ToUnixTimeSeconds() - 7 * 86400), db.Uri.Query);
        Assert.Equal("?account=staff", handler.Requests.First(r => r.Uri.AbsolutePath.StartsWith("/slurm/")).Uri.Query);
    }

    [Fact]
    public async Task Nodes_partitions_and_reservations_0_0_38()
    {
        var (rest, handler) = Rest("0.0.38");
        handler.On("GET", "/nodes", Api("slurm_get_nodes")).On("GET", "/partitions", Api("slurm_get_partitions")).On("GET", "/reservations", Api("slurm_get_reservations"));
        var node = Assert.Single(await rest.GetNodesAsync(User, CancellationToken.None));
        Assert.Equal(("localhost", 8, 1, 1, 8), (node.Name, node.Sockets!.Value, node.Cores!.Value, node.Threads!.Value, node.Cpus!.Value));
        Assert.Equal(24.93, node.CpuLoad); // cpu_load 2493 in hundredths
        Assert.Equal(["IDLE"], node.State);
        Assert.Equal(["debug", "long"], node.Partitions);
        var partitions = await rest.GetPartitionsAsync(User, false, CancellationToken.None);
        Assert.Equal(["debug", "long"], partitions.Select(p => p.Name));
        Assert.Equal("UP", partitions[0].PartitionState);
        Assert.Equal(8, partitions[0].Cpus);
        var res = Assert.Single(await rest.GetReservationsAsync(User, CancellationToken.None));
        Assert.Equal(("f7t-transcripts", "localhost", 1893484800L, 1893492000L, "inactive"), (res.Name, res.NodeList!, res.StartTime!.Value, res.EndTime!.Value, res.State!));
        Assert.Equal("/slurm/v0.0.38/partitions", handler.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task Cancel_deletes_the_job_and_unknown_ids_are_not_found()
    {
        var (rest, handler) = Rest("0.0.38");
        handler.On("DELETE", "/slurm/v0.0.38/job/42", Api("slurm_cancel_job"))
            .On("DELETE", "/slurm/v0.0.38/job/43", """{"errors":[{"error":"Invalid job id specified","error_number":2017}]}""", HttpStatusCode.InternalServerError);
        await rest.CancelJobAsync(User, "42", CancellationToken.None);
        Assert.Equal(HttpMethod.Delete, handler.Requests[0].Method);
        Assert.Equal(HpcErrorKind.NotFound, (await Assert.ThrowsAnyAsync<HpcException>(() => rest.CancelJobAsync(User, "43", CancellationToken.None))).Kind);
        Assert.Equal(HpcErrorKind.InvalidArgument, (await Assert.ThrowsAnyAsync<HpcException>(() => rest.CancelJobAsync(User, "../ping", CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task Accounts_come_from_associations_with_is_default()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("GET", "/slurmdb/v0.0.42/associations?user=fireuser",
            """{"associations":[{"account":"hpcproj","user":"fireuser","is_default":true},{"account":"hpcproj2","user":"fireuser","is_default":false}]}""");
        var accounts = await rest.GetAccountsAsync(User, CancellationToken.None);
        Assert.Equal([("hpcproj", true), ("hpcproj2", false)], accounts!.Select(a => (a.Name, a.Default)));
    }

    [Fact]
    public async Task Ping_0_0_40_needs_every_controller_pinged_up()
    {
        var (rest, handler) = Rest("0.0.40");
        handler.On("GET", "/ping", """{"pings":[{"hostname":"a","pinged":"UP"},{"hostname":"b","pinged":"DOWN"}]}""");
        Assert.Equal((false, "a is UP, b is DOWN"), await rest.PingAsync(User, CancellationToken.None));
    }

    [Fact]
    public void Complex_ints_unwrap()
    {
        using var doc = JsonDocument.Parse("""[{"set":true,"infinite":false,"number":5},{"set":false,"infinite":false,"number":0},{"set":true,"infinite":true,"number":0},7,"8"]""");
        Assert.Equal(new long?[] { 5, null, null, 7, 8 }, doc.RootElement.EnumerateArray().Select(e => SlurmRestJson.Long(e)));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Empty_account_and_name_mean_no_filter()
    {
        var (rest, handler) = Rest("0.0.42");
        handler.On("GET", "/slurm/v0.0.42/jobs", Api("slurm_get_allusers_jobs")).On("GET", "/slurmdb/v0.0.42/jobs", Api("slurm_get_allusers_jobs_from_db"));
        var unfiltered = await rest.GetJobsAsync(User, new JobQuery(AllUsers: true), CancellationToken.None);
        var empty = await rest.GetJobsAsync(User, new JobQuery(AllUsers: true, Account: "", Name: ""), CancellationToken.None);

        Assert.NotEmpty(unfiltered);
        Assert.Equal(unfiltered.Select(j => j.JobId), empty.Select(j => j.JobId));
        Assert.All(handler.Requests, r => Assert.DoesNotContain("account=", r.Uri.Query));
    }
}
