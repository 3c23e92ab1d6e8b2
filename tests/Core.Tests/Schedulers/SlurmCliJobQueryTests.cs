using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class SlurmCliJobQueryTests
{
    private static readonly UserIdentity User = new("fireuser");
    private const string SacctFormat = "--parsable2 --noheader --format='JobID,AllocNodes,Cluster,ExitCode,Group,Account,JobName,NodeList,Partition,Priority,State,Reason,ElapsedRaw,Submit,Start,End,Suspended,TimelimitRaw,User,WorkDir'";
    private const string SqueueFormat = "--noheader --Format='JobID:|,NumNodes:|,Cluster:||,GroupName:|,Account:|,Name:|,NodeList:|,Partition:|,PriorityLong:|,State:|,Reason:|,TimeUsed:|,SubmitTime:|,StartTime:|,EndTime:||,TimeLimit:|,UserName:|,WorkDir:'";

    [Fact]
    public async Task Get_job_runs_sacct_and_squeue_for_all_users_and_keeps_sacct_unless_pending()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_command").WithFixture("squeue ", "ssh_squeue_command");
        var jobs = await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "18", CancellationToken.None);

        Assert.Equal(
            [$"SLURM_TIME_FORMAT='%s' sacct --allusers --jobs='18' {SacctFormat}", $"SLURM_TIME_FORMAT='%s' squeue --jobs='18' {SqueueFormat}"],
            shell.Executed.Select(c => c.CommandLine).Order());
        Assert.Equal(Words(SshOutput("ssh_sacct_command").Command), Words(shell.Executed.Single(c => c.CommandLine.Contains(" sacct ")).CommandLine));
        var job = Assert.Single(jobs); // squeue no longer lists the finished job
        Assert.Equal("18", job.JobId);
        Assert.Equal("COMPLETED", job.Status.State);
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(0, job.Status.ExitCode);
        Assert.Equal(0, job.Status.InterruptSignal);
        Assert.Equal("SbatchTest", job.Name);
        Assert.Equal("hpcproj", job.Account);
        Assert.Equal("fireuser", job.Group);
        Assert.Equal("debug", job.Partition);
        Assert.Equal(1, job.AllocationNodes);
        Assert.Equal(0, job.Time.Elapsed);
        Assert.Equal(1796303712, job.Time.Start);
        Assert.Equal(1796303712, job.Time.End);
        Assert.Null(job.Time.Limit); // UNLIMITED
        Assert.Equal(0, job.Time.Suspended);
        Assert.Equal("/home/fireuser/f7t-transcripts/jobs", job.WorkingDirectory);
        Assert.Equal("fireuser", job.User);
        Assert.Equal(("18.batch", "COMPLETED"), (Assert.Single(job.Tasks!).Id, job.Tasks![0].Status.State));
    }

    [Fact]
    public async Task Running_job_reads_sacct_and_squeue_rows_of_the_same_job()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_running_command").WithFixture("squeue ", "ssh_squeue_running_command");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "22", CancellationToken.None));
        Assert.Equal(Words(SshOutput("ssh_squeue_running_command").Command), Words(shell.Executed.Single(c => c.CommandLine.Contains(" squeue ")).CommandLine));
        Assert.Equal(("22", "Sleeper", "RUNNING"), (job.JobId, job.Name, job.Status.State));
        Assert.Equal(JobState.Running, job.State);
        Assert.Null(job.Time.End);
        Assert.Equal("22.batch", Assert.Single(job.Tasks!).Id);
    }

    [Fact]
    public async Task Array_element_reads_the_recorded_element_row()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_array_command").With("squeue ", "");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "20_1", CancellationToken.None));
        Assert.Equal(Words(SshOutput("ssh_sacct_array_command").Command), Words(shell.Executed.Single(c => c.CommandLine.Contains(" sacct ")).CommandLine));
        Assert.Equal(("20_1", "Array", "COMPLETED"), (job.JobId, job.Name, job.Status.State));
        Assert.Equal("20_1.batch", Assert.Single(job.Tasks!).Id);
    }

    [Fact]
    public async Task List_by_name_turns_steps_into_tasks()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_name_command").WithFixture("squeue ", "ssh_squeue_name_command");
        var jobs = await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(Name: "NameExists"), CancellationToken.None);

        Assert.Equal(
            [$"SLURM_TIME_FORMAT='%s' sacct --name='NameExists' --starttime=now-24hours {SacctFormat}",
             $"SLURM_TIME_FORMAT='%s' squeue --user='fireuser' --name='NameExists' {SqueueFormat}"],
            shell.Executed.Select(c => c.CommandLine).Order());
        // Every recording run submits one NameExists job; each has its batch step as its one task.
        Assert.Equal(["4", "12", "19"], jobs.Select(j => j.JobId));
        var job = jobs[2];
        Assert.Equal("COMPLETED", job.Status.State);
        Assert.Equal(30 * 60, job.Time.Limit);
        var task = Assert.Single(job.Tasks!);
        Assert.Equal("19.batch", task.Id);
        Assert.Equal("batch", task.Name);
        Assert.Equal("COMPLETED", task.Status.State);
        Assert.Equal(0, task.Time.Elapsed);
        Assert.All(jobs, j => Assert.Equal(j.JobId + ".batch", Assert.Single(j.Tasks!).Id));
        // Both command lines have the argv of the recorded commands.
        Assert.Equal(Words(SshOutput("ssh_sacct_name_command").Command), Words(shell.Executed[0].CommandLine));
        Assert.Equal(Words(SshOutput("ssh_squeue_name_command").Command), Words(shell.Executed[1].CommandLine));
    }

    [Fact]
    public async Task List_by_name_with_shell_injection_keeps_the_name_one_argument()
    {
        const string evil = "'x' ; touch /tmp/test ; ''";
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_name_not_ok_command").WithFixture("squeue ", "ssh_squeue_name_not_ok_command");
        var jobs = await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(Name: evil), CancellationToken.None);

        Assert.Empty(jobs);
        var sacct = shell.Executed.Single(c => c.CommandLine.Contains(" sacct "));
        var squeue = shell.Executed.Single(c => c.CommandLine.Contains(" squeue "));
        Assert.Equal(0, SshOutput("ssh_sacct_name_not_ok_command").ExitCode);
        Assert.Equal("SLURM_TIME_FORMAT='%s' sacct --name=''\\''x'\\'' ; touch /tmp/test ; '\\'''\\''' --starttime=now-24hours " + SacctFormat, sacct.CommandLine);
        Assert.Equal(Words(SshOutput("ssh_sacct_name_not_ok_command").Command), Words(sacct.CommandLine));
        Assert.Equal(Words(SshOutput("ssh_squeue_name_not_ok_command").Command), Words(squeue.CommandLine));
        Assert.Contains("--name=" + evil, Words(sacct.CommandLine));
        Assert.DoesNotContain(";", Words(sacct.CommandLine));
    }

    [Fact]
    public async Task List_of_all_users_omits_the_user_filter()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_allusers_command").WithFixture("squeue ", "ssh_squeue_allusers_command");
        var jobs = await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(AllUsers: true), CancellationToken.None);

        Assert.DoesNotContain(shell.Executed, c => c.CommandLine.Contains("--user"));
        Assert.Equal(Words(SshOutput("ssh_sacct_allusers_command").Command), Words(shell.Executed.Single(c => c.CommandLine.Contains(" sacct ")).CommandLine));
        Assert.Equal(Words(SshOutput("ssh_squeue_allusers_command").Command), Words(shell.Executed.Single(c => c.CommandLine.Contains(" squeue ")).CommandLine));
        // One job per recorded allocation row (steps are tasks), both users; the elements of an array fold into one job.
        var rows = SshOutput("ssh_sacct_allusers_command").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')[0])
            .Where(id => !id.Contains('.')).Select(id => id.Split('_')[0]).Distinct();
        Assert.Equal(rows, jobs.Select(j => j.JobId));
        Assert.Equal(["20_1", "20_2"], jobs.Single(j => j.JobId == "20").Tasks!.Select(t => t.Id));
        var other = jobs.Single(j => j.JobId == "23");
        Assert.Equal(("fireuser2", "fireuser2", "OtherUser", "/tmp"), (other.User, other.Group, other.Name, other.WorkingDirectory));
        Assert.StartsWith("CANCELLED", jobs.Single(j => j.JobId == "22").Status.State);
    }

    [Fact]
    public async Task Jobs_only_in_squeue_are_added_with_their_squeue_fields()
    {
        var shell = new TranscriptShell()
            .With("sacct ", "")
            .With("squeue ", "1|1|cluster||users|staff|Count to 100||part01|12|PENDING|Resources|0:00|1773058665|N/A|(null)||5-00:00:00|fireuser|/home/fireuser\n");
        var pending = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(AllUsers: true), CancellationToken.None));
        Assert.Equal("PENDING", pending.Status.State);
        Assert.Equal("Resources", pending.Status.StateReason);
        Assert.Null(pending.Status.ExitCode);
        Assert.Equal(5 * 86400, pending.Time.Limit);
        Assert.Null(pending.Time.Start);
        Assert.Null(pending.Time.End);
        Assert.Equal("Count to 100", pending.Name);
        Assert.Equal(12, pending.Priority);
    }

    [Fact]
    public async Task Squeue_pending_row_replaces_the_sacct_row()
    {
        var shell = new TranscriptShell()
            .With("sacct ", "5|1|cluster|0:0|g|acc|job|n1|debug|1|RUNNING|None|10|1|2|Unknown|00:00:00|60|u|/w\n")
            .With("squeue ", "5|1|cluster||g|acc|job||debug|1|PENDING|JobHeldUser|0:00|1|N/A|N/A||1:00:00|u|/w\n");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "5", CancellationToken.None));
        Assert.Equal("PENDING", job.Status.State);
        Assert.Equal("JobHeldUser", job.Status.StateReason);
        Assert.Equal(3600, job.Time.Limit);
    }

    // Recorded on the local Slurm 22.05: the placeholder row right after a job starts says PENDING while squeue says RUNNING.
    private const string PlaceholderRunning =
        "15|0|cluster|0:0|root|hpcproj|allocation|localhost||0|PENDING|None|1|1795658278|1795658278|Unknown|00:00:00||fireuser|\n" +
        "15.batch|1|cluster|0:0||hpcproj|batch|localhost|||RUNNING||1|1795658278|1795658278|Unknown|00:00:00|||\n";

    private const string PlaceholderFailed =
        "15|1|cluster|3:0|root|hpcproj|allocation|localhost||0|FAILED|None|2|1795658278|1795658278|1795658280|00:00:00||fireuser|\n" +
        "15.batch|1|cluster|3:0||hpcproj|batch|localhost|||FAILED||2|1795658278|1795658278|1795658280|00:00:00|||\n";

    [Fact]
    public async Task Sacct_placeholder_row_gives_way_to_squeue()
    {
        var shell = new TranscriptShell()
            .With("sacct ", PlaceholderRunning)
            .With("squeue ", "15|1|cluster||fireuser|hpcproj|wrap|localhost|debug|4294901745|RUNNING|None|0:01|1795658278|1795658278|NONE||UNLIMITED|fireuser|/tmp\n");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "15", CancellationToken.None));
        Assert.Equal("RUNNING", job.Status.State);
        Assert.Equal("debug", job.Partition);
        Assert.Equal("15.batch", Assert.Single(job.Tasks!).Id);
        Assert.Null(job.Time.Limit);
    }

    [Fact]
    public async Task Sacct_placeholder_row_without_squeue_is_resolved_by_scontrol()
    {
        var shell = new TranscriptShell()
            .With("sacct ", PlaceholderFailed)
            .With("squeue ", "")
            .With("scontrol show -o job",
                "JobId=15 JobName=wrap UserId=fireuser(1001) GroupId=fireuser(1001) Priority=4294901745 Account=hpcproj JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 RunTime=00:00:02 TimeLimit=UNLIMITED StartTime=1795658278 EndTime=1795658280 Partition=debug NodeList=localhost NumNodes=1 WorkDir=/tmp StdOut=/dev/null\n");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "15", CancellationToken.None));
        Assert.Equal("SLURM_TIME_FORMAT='%s' scontrol show -o job '15'", shell.Executed[2].CommandLine);
        Assert.Equal("FAILED", job.Status.State);
        Assert.Equal("NonZeroExitCode", job.Status.StateReason);
        Assert.Equal(3, job.Status.ExitCode);
        Assert.Equal("wrap", job.Name);
        Assert.Equal("fireuser", job.User);
        Assert.Equal("fireuser", job.Group);
        Assert.Equal("/tmp", job.WorkingDirectory);
        Assert.Equal(2, job.Time.Elapsed);
        Assert.Equal(1795658280, job.Time.End);
        Assert.Equal("cluster", job.Cluster);
        Assert.Single(job.Tasks!);
    }

    [Fact]
    public async Task Sacct_placeholder_row_is_dropped_when_nothing_else_knows_the_job()
    {
        var shell = new TranscriptShell()
            .With("sacct ", PlaceholderFailed)
            .With("squeue ", "", "slurm_load_jobs error: Invalid job id specified\n", 1)
            .With("scontrol show -o job", "", "slurm_load_jobs error: Invalid job id specified\n", 1);
        Assert.Empty(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "15", CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_name_gives_an_empty_list()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_name_dont_exist_command").WithFixture("squeue ", "ssh_squeue_name_dont_exist_command");
        Assert.Empty(await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(Name: "DontExist"), CancellationToken.None));
    }

    [Theory]
    [InlineData("1h", "now-1hour")]
    [InlineData("8h", "now-8hours")]
    [InlineData(null, "now-24hours")]
    [InlineData("3d", "now-3days")]
    [InlineData("7d", "now-7days")]
    public async Task Time_window_maps_to_sacct_starttime(string? window, string expected)
    {
        var shell = new TranscriptShell().With("sacct ", "").With("squeue ", "");
        await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(Account: "acc", TimeWindow: window), CancellationToken.None);
        Assert.Contains(shell.Executed, c => c.CommandLine == $"SLURM_TIME_FORMAT='%s' sacct --account='acc' --starttime={expected} {SacctFormat}");
        Assert.Contains(shell.Executed, c => c.CommandLine == $"SLURM_TIME_FORMAT='%s' squeue --user='fireuser' --account='acc' {SqueueFormat}");
    }

    [Theory]
    [InlineData("2h")]
    [InlineData("24h; rm -rf /")]
    [InlineData("")]
    public async Task Invalid_time_window_is_refused_before_running(string window)
    {
        var shell = new TranscriptShell();
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(TimeWindow: window), CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Empty(shell.Executed);
    }

    [Theory]
    [InlineData("1;id")]
    [InlineData("1 2")]
    [InlineData("$(id)")]
    [InlineData("1'")]
    [InlineData("")]
    [InlineData("12_")]
    public async Task Malformed_job_id_is_invalid_argument_for_every_job_call(string id)
    {
        var shell = new TranscriptShell();
        var s = new SlurmCliScheduler(shell, Cluster());
        foreach (var call in new Func<Task>[]
                 {
                     () => s.GetJobAsync(User, id, CancellationToken.None), () => s.GetJobMetadataAsync(User, id, CancellationToken.None),
                     () => s.CancelJobAsync(User, id, CancellationToken.None), () => s.AttachAsync(User, id, "hostname", CancellationToken.None),
                 })
            Assert.Equal(HpcErrorKind.InvalidArgument, (await Assert.ThrowsAnyAsync<HpcException>(call)).Kind);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task Array_element_id_is_accepted()
    {
        var shell = new TranscriptShell().With("sacct ", "").With("squeue ", "");
        await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "12_3", CancellationToken.None);
        Assert.Contains(shell.Executed, c => c.CommandLine.Contains("--jobs='12_3'"));
    }

    [Fact]
    public async Task Sacct_failure_other_than_unknown_job_is_an_error()
    {
        var shell = new TranscriptShell().With("sacct ", "", "sacct: error: Slurm accounting storage is disabled\n", 1).With("squeue ", "");
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "3", CancellationToken.None));
        Assert.Contains("accounting storage is disabled", ex.Message);
    }

    [Fact]
    public async Task Empty_account_and_name_mean_no_filter()
    {
        var shell = new TranscriptShell().WithFixture("sacct ", "ssh_sacct_name_command").WithFixture("squeue ", "ssh_squeue_name_command");
        await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(Account: "", Name: ""), CancellationToken.None);

        Assert.Equal(
            [$"SLURM_TIME_FORMAT='%s' sacct --starttime=now-24hours {SacctFormat}",
             $"SLURM_TIME_FORMAT='%s' squeue --user='{User.Username}' {SqueueFormat}"],
            shell.Executed.Select(c => c.CommandLine).Order());
    }
}
