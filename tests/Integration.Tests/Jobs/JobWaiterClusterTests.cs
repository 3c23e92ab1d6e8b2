using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Jobs;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Jobs;

/// <summary>The job wait and the failure explanation against the real local Slurm cluster, through the direct engine as fireuser.</summary>
public sealed class JobWaiterClusterTests(DirectEngine engine) : IClassFixture<DirectEngine>, IAsyncLifetime
{
    private readonly string _remote = "/home/fireuser/wait-it-" + Guid.NewGuid().ToString("N")[..8];
    private readonly IHpcOperations _ops = engine.Fireuser;

    public async Task InitializeAsync()
    {
        await _ops.Files.MakeDirectoryAsync("cluster", RemotePath.Parse(_remote), parent: true);
    }

    public async Task DisposeAsync()
    {
        try { await _ops.Files.RemoveAsync("cluster", RemotePath.Parse(_remote)); } catch (HpcException) { }
    }

    private Task<string> SubmitAsync(string body) => _ops.Compute.SubmitJobAsync("cluster", new JobDescription
    {
        Name = "wait-it", Account = TestCluster.Current["SLURM_ACCOUNT"], Partition = "debug", WorkingDirectory = _remote,
        StandardOutput = $"{_remote}/out.log", StandardError = $"{_remote}/err.log", Script = "#!/bin/bash\n" + body + "\n",
    });

    [Fact]
    public async Task A_failed_job_is_waited_for_and_explained_with_its_stderr()
    {
        var id = await SubmitAsync("echo first >&2\necho boom >&2\nexit 3");
        var states = new List<string>();
        var result = await new JobWaiter(_ops).WaitAsync("cluster", id, new JobWaitOptions
        {
            Timeout = TimeSpan.FromMinutes(2), Progress = new Recorder(states),
        });

        Assert.False(result.TimedOut);
        Assert.Equal(JobState.Failed, result.Job!.State);
        var failure = await JobFailure.ExplainAsync(_ops, "cluster", result.Job, lines: 1);
        Assert.Equal((JobState.Failed, 3), (failure.State, failure.ExitCode));
        Assert.Equal($"{_remote}/err.log", failure.StandardErrorPath);
        Assert.Equal("boom", failure.StandardErrorTail);
        Assert.NotEmpty(states);
    }

    [Fact]
    public async Task A_timeout_returns_the_running_job_and_leaves_it_running()
    {
        var id = await SubmitAsync("sleep 60");
        try
        {
            var result = await new JobWaiter(_ops).WaitAsync("cluster", id, new JobWaitOptions { Timeout = TimeSpan.FromSeconds(2) });
            Assert.True(result.TimedOut);
            Assert.Contains(result.Job!.State, new[] { JobState.Pending, JobState.Running });
            Assert.False(JobStates.IsFinal((await _ops.Compute.GetJobAsync("cluster", Core.Models.JobId.Parse(id)))[0].State));
        }
        finally
        {
            await _ops.Compute.CancelJobAsync("cluster", Core.Models.JobId.Parse(id));
        }
        var cancelled = await new JobWaiter(_ops).WaitAsync("cluster", id, new JobWaitOptions { Timeout = TimeSpan.FromMinutes(1) });
        Assert.Equal(JobState.Cancelled, cancelled.Job!.State);
    }

    private sealed class Recorder(List<string> states) : IProgress<JobWaitProgress>
    {
        public void Report(JobWaitProgress value)
        {
            lock (states) states.Add(value.State);
        }
    }
}
