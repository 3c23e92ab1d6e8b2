using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Pbs;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class PbsCliSchedulerTests
{
    private static readonly UserIdentity FireUser = new("fireuser");

    private static PbsCliScheduler Pbs(TranscriptShell shell) => new(shell, Cluster()) { TimeZone = TimeZoneInfo.Utc };

    [Fact]
    public async Task Qsub_changes_directory_and_sends_the_script_on_stdin()
    {
        var shell = new TranscriptShell().WithFixture("qsub", "ssh_qsub_command");
        var job = new JobDescription
        {
            Name = "test1", WorkingDirectory = "/home/test1", Reservation = "myreservation", Partition = "ignored-when-reservation",
            Env = new() { ["PATH"] = "/bin:/usr/bin/:/usr/local/bin/" }, Script = "#!/bin/bash\necho hi\n",
        };
        var id = await Pbs(shell).SubmitJobAsync(FireUser, job, CancellationToken.None);

        Assert.Equal("1", id);
        var cmd = Assert.Single(shell.Executed);
        Assert.Equal("cd '/home/test1' && qsub -v 'PATH=/bin:/usr/bin/:/usr/local/bin/' -N 'test1' -q 'myreservation'", cmd.CommandLine);
        Assert.Equal(Words(SshOutput("ssh_qsub_command").Command), Words(cmd.CommandLine));
        Assert.Equal("#!/bin/bash\necho hi\n", cmd.Stdin);
        Assert.False(cmd.Idempotent);
    }

    [Fact]
    public async Task Qsub_with_every_option_quotes_each_value()
    {
        var shell = new TranscriptShell().With("qsub", "42.pbs\n");
        var job = new JobDescription
        {
            Name = "a b", WorkingDirectory = "/home/it's", Partition = "workq", Account = "proj", StandardError = "e.txt", StandardOutput = "o.txt",
            Env = [], ScriptPath = "/home/u/job.sh", Dependency = "afterok:41",
        };
        Assert.Equal("42", await Pbs(shell).SubmitJobAsync(FireUser, job, CancellationToken.None));
        Assert.Equal(["cd", "/home/it's", "&", "&", "qsub", "-V", "-N", "a b", "-q", "workq", "-P", "proj", "-e", "e.txt", "-o", "o.txt", "-W", "depend=afterok:41", "--", "/home/u/job.sh"],
            Words(shell.Executed[0].CommandLine));
        Assert.Null(shell.Executed[0].Stdin);
    }

    [Theory]
    [InlineData("a,XY2=injected")]
    [InlineData("x\ny")]
    [InlineData("it's")]
    public async Task Qsub_refuses_env_values_its_list_would_split(string value)
    {
        var shell = new TranscriptShell().With("qsub", "7.pbs\n");
        var job = new JobDescription { WorkingDirectory = "/w", Script = "true", Env = new() { ["XZ"] = value } };
        var e = await Assert.ThrowsAsync<HpcException>(() => Pbs(shell).SubmitJobAsync(FireUser, job, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("XZ", e.Message);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task Qsub_without_env_sends_the_default_F7T_version()
    {
        var shell = new TranscriptShell().With("qsub", "7.pbs\n");
        await Pbs(shell).SubmitJobAsync(FireUser, new JobDescription { WorkingDirectory = "/w", Script = "true" }, CancellationToken.None);
        Assert.Equal("cd '/w' && qsub -v 'F7T_version=v2.0.0'", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Qsub_to_an_unknown_queue_is_invalid_argument()
    {
        var shell = new TranscriptShell().With("qsub", "", "qsub: Unknown queue\n", 170);
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => Pbs(shell).SubmitJobAsync(FireUser, new JobDescription { WorkingDirectory = "/w", Script = "true", Partition = "nope" }, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("Unknown queue", ex.Message);
    }

    [Fact]
    public async Task Qstat_of_one_job_maps_the_fields()
    {
        var shell = new TranscriptShell().WithFixture("qstat -F json -f '1' -x", "ssh_qstat_command");
        var job = Assert.Single(await Pbs(shell).GetJobAsync(FireUser, "1", CancellationToken.None));

        Assert.Equal("qstat -F json -f '1' -x", shell.Executed[0].CommandLine);
        Assert.Equal(Words(SshOutput("ssh_qstat_command").Command), Words(shell.Executed[0].CommandLine));
        Assert.Equal("1", job.JobId);
        Assert.Equal("hello_pbs", job.Name);
        Assert.Equal("R", job.Status.State);
        Assert.Equal(JobState.Running, job.State);
        Assert.Null(job.Status.ExitCode);
        Assert.Equal("workq", job.Partition);
        Assert.Equal("_pbs_project_default", job.Account);
        Assert.Equal("fireuser", job.User);
        Assert.Equal("pbs", job.Cluster);
        Assert.Equal("pbs", job.Nodes);
        Assert.Equal(1, job.AllocationNodes);
        Assert.Equal("/home/fireuser", job.WorkingDirectory);
        Assert.Equal(10, job.Time.Elapsed);
        Assert.Equal(300, job.Time.Limit);
        Assert.Equal(new DateTimeOffset(2025, 6, 19, 21, 27, 51, TimeSpan.Zero).ToUnixTimeSeconds(), job.Time.Start);
        Assert.Equal(0, job.Priority);
    }

    [Fact]
    public async Task Qstat_of_all_users_filters_owner_unless_allusers()
    {
        var shell = new TranscriptShell().WithFixture("qstat -F json -f -x", "ssh_qstat_allusers_command");
        var all = await Pbs(shell).GetJobsAsync(FireUser, new JobQuery(AllUsers: true), CancellationToken.None);
        var mine = await Pbs(shell).GetJobsAsync(new UserIdentity("someone-else"), new JobQuery(), CancellationToken.None);

        Assert.Equal("qstat -F json -f -x", shell.Executed[0].CommandLine);
        Assert.True(all.Count >= 2);
        Assert.Equal("1004", all[0].JobId);
        Assert.Equal("F", all[0].Status.State);
        Assert.Equal(0, all[0].Status.ExitCode);
        Assert.Equal(JobState.Completed, all[0].State);
        Assert.NotNull(all[0].Time.End);
        Assert.Empty(mine);
        var byName = await Pbs(shell).GetJobsAsync(FireUser, new JobQuery(Name: "no-such-name"), CancellationToken.None);
        Assert.Empty(byName);
    }

    [Fact]
    public async Task Metadata_has_stdout_and_stderr_the_right_way_round()
    {
        var shell = new TranscriptShell().WithFixture("qstat", "ssh_qstat_command");
        var meta = Assert.Single(await Pbs(shell).GetJobMetadataAsync(FireUser, "1", CancellationToken.None));
        Assert.Equal("/home/fireuser/hello_pbs.o1", meta.StandardOutput);
        Assert.Equal("/home/fireuser/hello.err", meta.StandardError);
        Assert.Null(meta.Script);
    }

    [Fact]
    public async Task Job_without_exec_host_reports_none_assigned()
    {
        var shell = new TranscriptShell().With("qstat", """{"Jobs":{"5.pbs":{"Job_Name":"q","Job_Owner":"fireuser@pbs","job_state":"Q"}}}""");
        var job = Assert.Single(await Pbs(shell).GetJobAsync(FireUser, "5", CancellationToken.None));
        Assert.Equal("None assigned", job.Nodes);
        Assert.Equal(JobState.Pending, job.State);
    }

    [Fact]
    public async Task Unknown_job_is_an_empty_list_and_array_ids_keep_brackets()
    {
        var shell = new TranscriptShell().With("'9'", "", "qstat: Unknown Job Id 9.pbs\n", 153)
            .With("qstat", """{"Jobs":{"12[].pbs":{"Job_Name":"arr","Job_Owner":"fireuser@pbs","job_state":"B"}}}""");
        Assert.Empty(await Pbs(shell).GetJobAsync(FireUser, "9", CancellationToken.None));
        var job = Assert.Single(await Pbs(shell).GetJobAsync(FireUser, "12[]", CancellationToken.None));
        Assert.Equal("12[]", job.JobId);
        Assert.Equal("qstat -F json -f '12[]' -x", shell.Executed[1].CommandLine);
    }

    [Fact]
    public async Task Qdel_cancels_and_bad_ids_are_refused()
    {
        var shell = new TranscriptShell().WithFixture("qdel", "ssh_qdel_command");
        await Pbs(shell).CancelJobAsync(FireUser, "1", CancellationToken.None);
        Assert.Equal("qdel '1'", Assert.Single(shell.Executed).CommandLine);
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => Pbs(shell).CancelJobAsync(FireUser, "1; rm -rf ~", CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Single(shell.Executed);
    }

    [Fact]
    public async Task Nodes_queues_ping_accounts_and_attach()
    {
        var shell = new TranscriptShell().WithFixture("pbsnodes -a -F json", "ssh_pbsnodes_command").WithFixture("qstat -F json -f -Q", "ssh_qstat_partitions_command")
            .With("qstat -F json -f -B", """{"Server":{"pbs":{"server_state":"Active"}}}""");
        var pbs = Pbs(shell);
        var node = Assert.Single(await pbs.GetNodesAsync(FireUser, CancellationToken.None));
        Assert.Equal(("pbs", 1, 0, 1), (node.Name, node.Cpus!.Value, node.AllocCpus!.Value, node.IdleCpus!.Value));
        Assert.Equal(["IDLE"], node.State);
        Assert.Equal(1024, node.AllocMemory);
        var queue = Assert.Single(await pbs.GetPartitionsAsync(FireUser, false, CancellationToken.None));
        Assert.Equal(("workq", "UP"), (queue.Name, queue.PartitionState));
        Assert.Equal((true, "PBS server pbs is Active"), await pbs.PingAsync(FireUser, CancellationToken.None));
        Assert.Null(await pbs.GetAccountsAsync(FireUser, CancellationToken.None));
        Assert.Equal(HpcErrorKind.NotImplemented, (await Assert.ThrowsAnyAsync<HpcException>(() => pbs.AttachAsync(FireUser, "1", "hostname", CancellationToken.None))).Kind);
    }

    [Theory]
    [InlineData("free", "IDLE")]
    [InlineData("job-exclusive", "ALLOCATED")]
    [InlineData("job-sharing", "MIXED")]
    [InlineData("time-shared", "MIXED")]
    [InlineData("down", "DOWN")]
    [InlineData("offline", "OFFLINE")]
    [InlineData("resv-exclusive", "RESERVED")]
    [InlineData("busy", "BUSY")]
    [InlineData("state-unknown", "UNKNOWN")]
    public void Pbs_node_states_map(string pbs, string expected) => Assert.Equal(expected, PbsParsers.MapNodeState(pbs));

    [Fact]
    public void Pbs_rstat_full_output_parses_reservations()
    {
        const string text = "Resv ID: R12.pbs\nReserve_Name = maint\nReserve_Owner = root@pbs\nreserve_state = RESV_CONFIRMED\nreserve_start = Thu Jun 19 10:00:00 2025\nreserve_end = Thu Jun 19 12:00:00 2025\nresv_nodes = (pbs:ncpus=1)\n";
        var r = Assert.Single(PbsParsers.ParseReservations(text, TimeZoneInfo.Utc));
        Assert.Equal(("maint", "confirmed", "(pbs:ncpus=1)"), (r.Name, r.State!, r.NodeList!));
        Assert.Equal(7200, r.EndTime - r.StartTime);
    }

    [Fact]
    public async Task Empty_account_and_name_mean_no_filter()
    {
        var shell = new TranscriptShell().WithFixture("qstat -F json -f -x", "ssh_qstat_allusers_command");
        var unfiltered = await Pbs(shell).GetJobsAsync(FireUser, new JobQuery(AllUsers: true), CancellationToken.None);
        var empty = await Pbs(shell).GetJobsAsync(FireUser, new JobQuery(AllUsers: true, Account: "", Name: ""), CancellationToken.None);

        Assert.NotEmpty(unfiltered);
        Assert.Equal(unfiltered.Select(j => j.JobId), empty.Select(j => j.JobId));
    }
}
