using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Schedulers;

/// <summary>The Slurm CLI adapter against the local Slurm 22.05 over SSH as fireuser.</summary>
public sealed class SlurmCliSchedulerTests : IDisposable
{
    private readonly DirectSshShell _shell = new();
    private readonly SlurmCliScheduler _slurm;

    public SlurmCliSchedulerTests() => _slurm = new SlurmCliScheduler(_shell, Cluster());

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task Job_goes_pending_or_running_then_completed()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("ok"), "sleep 2"), CancellationToken.None);
        var early = await WaitForAsync(_slurm, FireUser, id, _ => true);
        Assert.Contains(early.State, new[] { JobState.Pending, JobState.Running, JobState.Completed });
        var running = await WaitForAsync(_slurm, FireUser, id, j => j.State is JobState.Running or JobState.Completed);
        Assert.NotEqual(JobState.Failed, running.State);
        var done = await WaitForFinalAsync(_slurm, FireUser, id);
        Assert.Equal("COMPLETED", done.Status.State);
        Assert.Equal(0, done.Status.ExitCode);
        Assert.Equal("debug", done.Partition);
        Assert.Equal("/tmp", done.WorkingDirectory);
        Assert.Equal(FireUser.Username, done.User);
    }

    [Fact]
    public async Task Job_list_longer_than_max_ops_file_size_is_read_whole()
    {
        // max_ops_file_size of 2 KiB bounds what a command may print; three queued jobs with 900-character names make
        // the squeue listing longer than that, and a listing is not a file: it must come back whole. The jobs stay in
        // the queue while they are listed: accounting keeps only the first 255 characters of a name, so once they
        // ended no listing by the full name would find them.
        await using var pool = Ssh.SshPoolFactory.Pool(outputLimit: 2048);
        var slurm = new SlurmCliScheduler(pool, Cluster());
        var name = UniqueName("long") + new string('x', 900);
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 3; i++) ids.Add(await slurm.SubmitJobAsync(FireUser, Script(name, "sleep 120"), CancellationToken.None));

            var listed = await PollAsync(() => slurm.GetJobsAsync(FireUser, new JobQuery(Name: name), CancellationToken.None),
                l => ids.All(id => l.Any(j => j.JobId == id)));
            Assert.All(ids, id => Assert.Contains(listed, j => j.JobId == id && j.Name == name));
            await Assert.ThrowsAsync<HpcException>(() => pool.RunAsync("cluster", FireUser, new RemoteCommand("head -c 4096 /dev/zero"), CancellationToken.None));
        }
        finally
        {
            foreach (var id in ids) await slurm.CancelJobAsync(FireUser, id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Exit_3_gives_failed_with_exit_code_3()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("fail"), "exit 3"), CancellationToken.None);
        var done = await WaitForFinalAsync(_slurm, FireUser, id);
        Assert.Equal("FAILED", done.Status.State);
        Assert.Equal(JobState.Failed, done.State);
        Assert.Equal(3, done.Status.ExitCode);
    }

    [Fact]
    public async Task Cancel_gives_cancelled()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("cancel"), "sleep 120"), CancellationToken.None);
        await WaitForAsync(_slurm, FireUser, id, _ => true);
        await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None);
        var done = await WaitForFinalAsync(_slurm, FireUser, id);
        Assert.StartsWith("CANCELLED", done.Status.State);
        Assert.Equal(JobState.Cancelled, done.State);
    }

    [Fact]
    public async Task Held_job_shows_its_reason()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("held"), "#SBATCH --hold\ntrue"), CancellationToken.None);
        try
        {
            var job = await WaitForAsync(_slurm, FireUser, id, j => j.Status.StateReason is "JobHeldUser");
            Assert.Equal("PENDING", job.Status.State);
        }
        finally { await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None); }
    }

    [Fact]
    public async Task Pending_job_is_read_with_squeue_alone_and_reads_as_in_the_merged_list()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("held1"), "#SBATCH --hold\ntrue"), CancellationToken.None);
        try
        {
            await WaitForAsync(_slurm, FireUser, id, j => j.Status.StateReason is "JobHeldUser");
            var counting = new CountingShell(_shell);
            var job = Assert.Single(await new SlurmCliScheduler(counting, Cluster()).GetJobAsync(FireUser, id, CancellationToken.None));

            var command = Assert.Single(counting.Commands);
            Assert.Contains(" squeue ", command);
            Assert.Equal(("PENDING", "JobHeldUser"), (job.Status.State, job.Status.StateReason));
            // The job list still merges sacct and squeue: the pending job reads the same there.
            var listed = (await _slurm.GetJobsAsync(FireUser, new JobQuery(Name: job.Name), CancellationToken.None)).Single(j => j.JobId == id);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(listed), System.Text.Json.JsonSerializer.Serialize(job));
        }
        finally { await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None); }
    }

    /// <summary>Passes commands to the real shell and keeps their command lines.</summary>
    private sealed class CountingShell(IRemoteShell inner) : IRemoteShell
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Commands { get; } = new();

        public Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
        {
            Commands.Enqueue(command.CommandLine);
            return inner.RunAsync(system, user, command, cancellationToken);
        }
    }

    [Fact]
    public async Task Job_with_unsatisfiable_dependency_shows_its_reason()
    {
        var failed = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("dep0"), "exit 1"), CancellationToken.None);
        await WaitForFinalAsync(_slurm, FireUser, failed);
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("dep1"), "true", dependency: "afterok:" + failed), CancellationToken.None);
        try
        {
            var job = await WaitForAsync(_slurm, FireUser, id, j => j.Status.StateReason is "DependencyNeverSatisfied");
            Assert.Equal("PENDING", job.Status.State);
        }
        finally { await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None); }
    }

    [Fact]
    public async Task Metadata_returns_the_script_we_sent_while_running_and_after_it_finished()
    {
        var name = UniqueName("meta");
        var job = Script(name, $"# marker {name}\nsleep 3");
        job.StandardOutput = "out-%x-%j.txt";
        var id = await _slurm.SubmitJobAsync(FireUser, job, CancellationToken.None);

        var live = Assert.Single(await _slurm.GetJobMetadataAsync(FireUser, id, CancellationToken.None));
        Assert.Equal(job.Script, live.Script);
        Assert.Equal($"/tmp/out-{name}-{id}.txt", live.StandardOutput);

        await WaitForFinalAsync(_slurm, FireUser, id);
        var after = Assert.Single(await _slurm.GetJobMetadataAsync(FireUser, id, CancellationToken.None));
        Assert.Equal(job.Script, after.Script);

        // The accounting fallback (used once slurmctld has forgotten the job) gives the same script on 22.05.
        // Right after the end sacct lists the job with the script "NONE" (read as null) until slurmdbd has it: poll for the script.
        var fromAccounting = Assert.Single(await PollAsync(() => _slurm.MetadataFromAccountingAsync(FireUser, id, CancellationToken.None),
            l => l.Count > 0 && l[0].Script is not null));
        Assert.Equal(id, fromAccounting.JobId);
        Assert.Equal(job.Script, fromAccounting.Script);
    }

    [Fact]
    public async Task List_by_name_and_for_all_users_contains_the_job()
    {
        var name = UniqueName("list");
        var id = await _slurm.SubmitJobAsync(FireUser, Script(name, "true"), CancellationToken.None);
        await WaitForFinalAsync(_slurm, FireUser, id);

        // Right after the end, sacct's placeholder row carries JobName=allocation on Slurm 22.05: poll until the name is back.
        var byName = await PollAsync(() => _slurm.GetJobsAsync(FireUser, new JobQuery(Name: name), CancellationToken.None), l => l.Count > 0);
        Assert.Equal(id, Assert.Single(byName).JobId);
        Assert.Equal(name, byName[0].Name);
        var all = await _slurm.GetJobsAsync(FireUser, new JobQuery(AllUsers: true, TimeWindow: "1h"), CancellationToken.None);
        Assert.Contains(all, j => j.JobId == id);
        Assert.Empty(await _slurm.GetJobsAsync(FireUser, new JobQuery(Name: "'x' ; touch /tmp/test ; ''"), CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_job_gives_an_empty_list_and_cancel_not_found()
    {
        Assert.Empty(await _slurm.GetJobAsync(FireUser, "987654", CancellationToken.None));
        Assert.Empty(await _slurm.GetJobMetadataAsync(FireUser, "987654", CancellationToken.None));
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => _slurm.CancelJobAsync(FireUser, "987654", CancellationToken.None));
        Assert.Equal(HpcErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Nodes_partitions_reservations_accounts_and_ping_describe_the_local_cluster()
    {
        var node = Assert.Single(await _slurm.GetNodesAsync(FireUser, CancellationToken.None));
        Assert.Equal("localhost", node.Name);
        Assert.Equal(["debug", "long"], node.Partitions);
        Assert.Equal(8, node.Cpus);

        var partitions = await _slurm.GetPartitionsAsync(FireUser, false, CancellationToken.None);
        Assert.Equal(["debug", "long"], partitions.Select(p => p.Name));
        Assert.All(partitions, p => Assert.Equal("UP", p.PartitionState));

        Assert.Empty(await _slurm.GetReservationsAsync(FireUser, CancellationToken.None));

        var accounts = await _slurm.GetAccountsAsync(FireUser, CancellationToken.None);
        Assert.Equal([("hpcproj", true), ("hpcproj2", false)], accounts!.OrderBy(a => a.Name).Select(a => (a.Name, a.Default)));

        var (healthy, message) = await _slurm.PingAsync(FireUser, CancellationToken.None);
        Assert.True(healthy, message);
    }

    [Fact]
    public async Task Submit_with_an_account_the_user_may_not_charge_is_a_clear_error()
    {
        var job = Script(UniqueName("acct"), "true");
        job.Account = TestCluster.Current["SLURM_ACCOUNT2"];
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => _slurm.SubmitJobAsync(FireUser2, job, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("Invalid account", ex.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task One_minute_time_limit_gives_timeout()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("limit"), "#SBATCH --time=1\nsleep 600"), CancellationToken.None);
        try
        {
            var done = await WaitForFinalAsync(_slurm, FireUser, id, TimeSpan.FromMinutes(4));
            Assert.Equal("TIMEOUT", done.Status.State);
            Assert.Equal(JobState.Timeout, done.State);
            Assert.Equal(60, done.Time.Limit);
        }
        catch
        {
            await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None);
            throw;
        }
    }
}
