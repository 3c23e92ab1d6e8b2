using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Core.Tests.Jobs;

public sealed class JobFailureTests
{
    private readonly FakeHpc _hpc = new();

    private async Task<Job> EndedAsync(string state, int? exitCode, string? reason, string? stderr = "/home/u/err.log")
    {
        var id = await _hpc.SubmitJobAsync("alps", new JobDescription { WorkingDirectory = "/home/u", Script = "#!/bin/bash\n", StandardError = stderr });
        var job = _hpc.Jobs[id].Job;
        job.Status = new JobStatus { State = state, ExitCode = exitCode, StateReason = reason };
        return job;
    }

    [Fact]
    public async Task Gives_state_reason_exit_code_and_the_tail_of_stderr_from_the_metadata()
    {
        var job = await EndedAsync("FAILED", 3, "NonZeroExitCode");
        _hpc.FilesByPath["/home/u/err.log"] = string.Concat(Enumerable.Range(1, 30).Select(i => $"err {i}\n"));
        var f = await JobFailure.ExplainAsync(_hpc, "alps", job, lines: 2);
        Assert.Equal((JobState.Failed, "FAILED", "NonZeroExitCode", 3), (f.State, f.RawState, f.Reason, f.ExitCode));
        Assert.Equal("/home/u/err.log", f.StandardErrorPath);
        Assert.Equal("err 29\nerr 30", f.StandardErrorTail);
        Assert.Equal($"job {job.JobId} ended failed, reason NonZeroExitCode, exit code 3: err 29\nerr 30", f.Describe());
    }

    [Fact]
    public async Task A_missing_stderr_file_leaves_the_tail_empty()
    {
        var job = await EndedAsync("CANCELLED by 1000", 0, "None");
        var f = await JobFailure.ExplainAsync(_hpc, "alps", job);
        Assert.Equal(JobState.Cancelled, f.State);
        Assert.Null(f.Reason);
        Assert.Null(f.StandardErrorTail);
        // A cancelled job never returned a code of its own: the scheduler's placeholder 0 is not shown.
        Assert.Equal($"job {job.JobId} ended cancelled (CANCELLED by 1000)", f.Describe());
    }

    [Fact]
    public async Task A_given_error_log_wins_and_a_running_job_has_no_exit_code()
    {
        var job = await EndedAsync("RUNNING", 0, null);
        _hpc.FilesByPath["/home/u/transfer.err"] = "mv: cannot stat\n";
        var f = await JobFailure.ExplainAsync(_hpc, "alps", job, "/home/u/transfer.err");
        Assert.Null(f.ExitCode);
        Assert.Equal("mv: cannot stat", f.StandardErrorTail);
    }

    [Fact]
    public async Task Unknown_metadata_is_tolerated()
    {
        var f = await JobFailure.ExplainAsync(_hpc, "alps", new Job { JobId = "999", Status = new JobStatus { State = "FAILED", ExitCode = 1 } });
        Assert.Null(f.StandardErrorPath);
        Assert.Equal(1, f.ExitCode);
    }
}
