using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

/// <summary>Array jobs in the Slurm CLI adapter: elements become the tasks of one job per array.</summary>
public class SlurmCliArrayJobTests
{
    private static readonly UserIdentity User = new("test-user");

    // 20 fields: JobID|AllocNodes|Cluster|ExitCode|Group|Account|JobName|NodeList|Partition|Priority|State|Reason|
    //            ElapsedRaw|Submit|Start|End|Suspended|TimelimitRaw|User|WorkDir
    private static string Sacct(string id, string state, string exit = "0:0", string start = "100", string end = "Unknown", string elapsed = "5") =>
        $"{id}|1|cluster|{exit}|g|acc|arr|n1|debug|1|{state}|None|{elapsed}|90|{start}|{end}|00:00:00|60|fireuser|/tmp\n";

    private static string Step(string id, string state, string exit = "0:0") =>
        $"{id}|1|cluster|{exit}||acc|batch|n1|||{state}||5|90|100|Unknown|00:00:00|||\n";

    private static string Squeue(string id, string state, string reason = "None") =>
        $"{id}|1|cluster||g|acc|arr||debug|1|{state}|{reason}|0:00|90|N/A|N/A||1:00:00|fireuser|/tmp\n";

    private static Task<IReadOnlyList<Job>> GetAsync(string sacct, string squeue, string id) =>
        new SlurmCliScheduler(new TranscriptShell().With("sacct ", sacct).With("squeue ", squeue), Cluster())
            .GetJobAsync(User, id, CancellationToken.None);

    [Fact]
    public async Task Array_is_one_job_whose_tasks_are_its_elements_and_pending_range()
    {
        var sacct = Sacct("12_1", "COMPLETED", end: "110") + Step("12_1.batch", "COMPLETED")
                  + Sacct("12_2", "RUNNING", start: "120") + Step("12_2.batch", "RUNNING");
        var squeue = Squeue("12_2", "RUNNING") + Squeue("12_[3-4]", "PENDING", "JobArrayTaskLimit");

        var job = Assert.Single(await GetAsync(sacct, squeue, "12"));

        Assert.Equal("12", job.JobId);
        Assert.Equal(["12_1", "12_2", "12_[3-4]"], job.Tasks!.Select(t => t.Id));
        Assert.Equal(["COMPLETED", "RUNNING", "PENDING"], job.Tasks!.Select(t => t.Status.State));
        Assert.Equal("JobArrayTaskLimit", job.Tasks![2].Status.StateReason);
        Assert.Equal(110, job.Tasks![0].Time.End);
        Assert.Equal("RUNNING", job.Status.State);
        Assert.Equal(JobState.Running, job.State);
        Assert.Equal(100, job.Time.Start);
        Assert.Null(job.Time.End);
        Assert.Equal("arr", job.Name);
        Assert.Equal("debug", job.Partition);
    }

    [Fact]
    public async Task Array_with_nothing_running_but_a_pending_range_is_pending()
    {
        var job = Assert.Single(await GetAsync(Sacct("12_1", "COMPLETED", end: "110"), Squeue("12_[2-3]", "PENDING", "Resources"), "12"));
        Assert.Equal("PENDING", job.Status.State);
        Assert.Equal("Resources", job.Status.StateReason);
    }

    [Fact]
    public async Task Finished_array_with_a_failed_element_is_failed_with_its_exit_code()
    {
        var sacct = Sacct("12_1", "COMPLETED", end: "110") + Sacct("12_2", "FAILED", exit: "3:0", end: "130") + Step("12_2.batch", "FAILED", "3:0")
                  + Sacct("12_3", "COMPLETED", end: "120");
        var job = Assert.Single(await GetAsync(sacct, "", "12"));
        Assert.Equal("FAILED", job.Status.State);
        Assert.Equal(3, job.Status.ExitCode);
        Assert.Equal(3, job.Tasks!.Count);
        Assert.Equal(130, job.Time.End);
    }

    [Fact]
    public async Task Finished_array_with_all_elements_completed_is_completed()
    {
        var sacct = Sacct("7_1", "COMPLETED", end: "110") + Step("7_1.batch", "COMPLETED") + Sacct("7_2", "COMPLETED", end: "111");
        var job = Assert.Single(await GetAsync(sacct, "", "7"));
        Assert.Equal("COMPLETED", job.Status.State);
        Assert.Equal(0, job.Status.ExitCode);
        Assert.Equal(["7_1", "7_2"], job.Tasks!.Select(t => t.Id));
        Assert.Equal(111, job.Time.End);
    }

    [Fact]
    public async Task Sacct_row_for_the_array_id_keeps_its_raw_state()
    {
        var sacct = Sacct("12", "CANCELLED by 1001", end: "150") + Sacct("12_1", "COMPLETED", end: "110");
        var job = Assert.Single(await GetAsync(sacct, Squeue("12_[2-3]", "PENDING"), "12"));
        Assert.Equal("CANCELLED by 1001", job.Status.State);
        Assert.Equal(["12_1", "12_[2-3]"], job.Tasks!.Select(t => t.Id));
    }

    [Fact]
    public async Task Element_id_returns_that_element_as_a_job_with_its_steps()
    {
        var sacct = Sacct("12_3", "FAILED", exit: "2:0", end: "130") + Step("12_3.batch", "FAILED", "2:0");
        var job = Assert.Single(await GetAsync(sacct, "", "12_3"));
        Assert.Equal("12_3", job.JobId);
        Assert.Equal("FAILED", job.Status.State);
        Assert.Equal(2, job.Status.ExitCode);
        Assert.Equal("12_3.batch", Assert.Single(job.Tasks!).Id);
    }

    [Fact]
    public async Task Listing_groups_arrays_and_leaves_plain_jobs_alone()
    {
        var sacct = Sacct("5", "COMPLETED", end: "110") + Step("5.batch", "COMPLETED")
                  + Sacct("12_1", "RUNNING") + Sacct("13", "RUNNING") + Sacct("12_2", "COMPLETED", end: "111");
        var shell = new TranscriptShell().With("sacct ", sacct).With("squeue ", Squeue("12_1", "RUNNING") + Squeue("13", "RUNNING"));
        var jobs = await new SlurmCliScheduler(shell, Cluster()).GetJobsAsync(User, new JobQuery(), CancellationToken.None);

        Assert.Equal(["5", "12", "13"], jobs.Select(j => j.JobId));
        Assert.Equal("5.batch", Assert.Single(jobs[0].Tasks!).Id);
        Assert.Equal(["12_1", "12_2"], jobs[1].Tasks!.Select(t => t.Id));
        Assert.Equal("RUNNING", jobs[1].Status.State);
        Assert.Null(jobs[2].Tasks);
    }

    [Fact]
    public async Task Placeholder_element_row_is_resolved_by_scontrol_through_its_array_ids()
    {
        // Slurm 22.05's placeholder row (JobName allocation, no partition/workdir/limit) for an element that just ended.
        const string placeholder = "12_2|1|cluster|0:0|root|acc|allocation|n1||0|PENDING|None|2|90|100|110|00:00:00||fireuser|\n";
        var shell = new TranscriptShell()
            .With("sacct ", Sacct("12_1", "COMPLETED", end: "110") + placeholder)
            .With("squeue ", "")
            .With("scontrol show -o job",
                "JobId=14 ArrayJobId=12 ArrayTaskId=2 JobName=arr UserId=fireuser(1001) GroupId=fireuser(1001) Account=acc JobState=COMPLETED Reason=None ExitCode=0:0 RunTime=00:00:02 TimeLimit=UNLIMITED StartTime=100 EndTime=110 Partition=debug NodeList=n1 NumNodes=1 WorkDir=/tmp\n");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "12", CancellationToken.None));
        Assert.Contains(shell.Executed, c => c.CommandLine == "SLURM_TIME_FORMAT='%s' scontrol show -o job '12_2'");
        Assert.Equal(["12_1", "12_2"], job.Tasks!.Select(t => t.Id));
        Assert.Equal("COMPLETED", job.Tasks![1].Status.State);
        Assert.Equal("COMPLETED", job.Status.State);
    }

    [Fact]
    public void Array_id_is_found_for_elements_and_ranges_only()
    {
        Assert.Equal("12", SlurmJobRows.ArrayIdOf("12_3"));
        Assert.Equal("12", SlurmJobRows.ArrayIdOf("12_[4-9%2]"));
        Assert.Null(SlurmJobRows.ArrayIdOf("12"));
        Assert.Null(SlurmJobRows.ArrayIdOf("12_3.batch"));
        Assert.Null(SlurmJobRows.ArrayIdOf("12.batch"));
    }
}
