using Firecrest.Core.Schedulers;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class SlurmCliOtherTests
{
    private static readonly UserIdentity User = new("test-user");

    [Fact]
    public async Task Metadata_of_a_running_job_uses_scontrol_and_the_batch_script()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "JobId=7 JobName=my job UserId=fireuser(1001) WorkDir=/home/fireuser/run StdErr=err-%x-%j.txt StdIn=/dev/null StdOut=/abs/%u/out-%j.txt Power=\n")
            .WithFixture("scontrol write batch_script", "ssh_scontrol_script_command");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobMetadataAsync(User, "7", CancellationToken.None));

        Assert.Equal(["SLURM_TIME_FORMAT='%s' scontrol show -o job '7'", "scontrol write batch_script '7' -"], shell.Executed.Select(c => c.CommandLine));
        Assert.Equal("7", meta.JobId);
        Assert.Equal("#!/bin/bash\nfor i in 1 2 3\ndo\necho $i\ndone\n", meta.Script);
        Assert.Equal("/home/fireuser/run/err-my job-7.txt", meta.StandardError);
        Assert.Equal("/abs/fireuser/out-7.txt", meta.StandardOutput);
        Assert.Equal("/dev/null", meta.StandardInput);
    }

    [Fact]
    public async Task Metadata_of_recorded_scontrol_job_reads_the_record()
    {
        var shell = new TranscriptShell().With("ssh_scontrol_job_command").WithFixture("scontrol write", "ssh_scontrol_script_command");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobMetadataAsync(User, "22", CancellationToken.None));
        Assert.Equal(SshOutput("ssh_scontrol_job_command").Command, shell.Executed[0].CommandLine);
        Assert.Equal("22", meta.JobId);
        Assert.StartsWith("#!/bin/bash", meta.Script);
        Assert.Equal("/home/fireuser/f7t-transcripts/jobs/sleeper-22.out", meta.StandardOutput);
        Assert.Equal("/home/fireuser/f7t-transcripts/jobs/sleeper-22.err", meta.StandardError);
        Assert.Equal("/dev/null", meta.StandardInput);
    }

    [Fact]
    public async Task Metadata_takes_the_script_from_accounting_when_slurmctld_knows_the_job_but_not_its_script()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "JobId=7 JobName=j UserId=fireuser(1001) WorkDir=/w StdErr=/w/e StdIn=/dev/null StdOut=/w/o\n")
            .With("scontrol write batch_script", "", "slurm_load_jobs error: Socket timed out on send/recv operation\n", 1)
            .With("--batch-script", "Batch Script for 7\n----------\n#!/bin/sh\necho kept\n\n");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster("22.05.8")).GetJobMetadataAsync(User, "7", CancellationToken.None));
        Assert.Equal("#!/bin/sh\necho kept\n", meta.Script);
        Assert.Equal("/w/o", meta.StandardOutput);
        Assert.Equal("sacct --jobs='7' --noheader --parsable2 --batch-script", shell.Executed[2].CommandLine);
    }

    [Fact]
    public async Task Metadata_from_accounting_keeps_the_script_slurmctld_gave_while_slurmdbd_has_none_yet()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "", "slurm_load_jobs error: Socket timed out on send/recv operation\n", 1)
            .With("scontrol write batch_script", "#!/bin/sh\necho live\n")
            .With("--batch-script", "Batch Script for 9\n----------\nNONE\n\n")
            .With("SubmitLine", "9|9|job|test-user|/home/test-user/w|localhost|sbatch --job-name=job\n");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster("22.05.8")).GetJobMetadataAsync(User, "9", CancellationToken.None));
        Assert.Equal("#!/bin/sh\necho live\n", meta.Script);
        Assert.Equal("/home/test-user/w/slurm-9.out", meta.StandardOutput);
    }

    [Fact]
    public async Task Metadata_of_a_finished_job_falls_back_to_sacct_batch_script_on_22_05()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "", "slurm_load_jobs error: Invalid job id specified\n", 1)
            .With("scontrol write batch_script", "", "job script retrieval failed: Invalid job id specified\n", 1)
            .With("--batch-script", "Batch Script for 9\n--------------------------------------------------------------------------------\n#!/bin/sh\necho done\n\n")
            .With("SubmitLine", "9|9|job|test-user|/home/test-user/w|localhost|sbatch --export=ALL --chdir=/home/test-user/w --job-name=job\n9.batch|9|batch||/home/test-user/w|localhost|\n");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster("22.05.8")).GetJobMetadataAsync(User, "9", CancellationToken.None));
        Assert.Equal("sacct --jobs='9' --noheader --parsable2 --batch-script", shell.Executed[2].CommandLine);
        // sacct 22.05 has no StdOut field: the paths come from SubmitLine, the script's #SBATCH lines or Slurm's default.
        Assert.Equal("sacct --jobs='9' --noheader --parsable2 --format='JobID,JobIDRaw,JobName,User,WorkDir,NodeList,SubmitLine'", shell.Executed[3].CommandLine);
        Assert.Equal("9", meta.JobId);
        Assert.Equal("#!/bin/sh\necho done\n", meta.Script);
        Assert.Equal("/home/test-user/w/slurm-9.out", meta.StandardOutput);
        Assert.Equal("/home/test-user/w/slurm-9.out", meta.StandardError);
        Assert.Null(meta.StandardInput);
    }

    [Fact]
    public async Task Metadata_of_a_forgotten_job_takes_the_submit_line_over_the_script_directives()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "", "slurm_load_jobs error: Invalid job id specified\n", 1)
            .With("scontrol write batch_script", "", "error\n", 1)
            .With("--batch-script", "Batch Script for 12_3\n----------\n#!/bin/bash\n#SBATCH --output=script-%A_%a.out\n#SBATCH -e err-%x-%4a.txt # comment\necho\n#SBATCH --input=late\n\n")
            .With("SubmitLine", "12_3|15|sweep|fireuser|/w|nid[003-004]|sbatch --chdir=/w --output /abs/%u/line-%j-%N.out\n");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster("22.05.8")).GetJobMetadataAsync(User, "12_3", CancellationToken.None));
        Assert.Equal("/abs/fireuser/line-15-nid003.out", meta.StandardOutput);
        Assert.Equal("/w/err-sweep-0003.txt", meta.StandardError);
        Assert.Null(meta.StandardInput); // after the first command sbatch reads no more options
    }

    [Fact]
    public async Task Metadata_of_a_finished_job_on_24_05_also_reads_the_stream_paths()
    {
        var shell = new TranscriptShell()
            .With("scontrol show -o job", "", "slurm_load_jobs error: Invalid job id specified\n", 1)
            .With("scontrol write batch_script", "", "error\n", 1)
            .With("--batch-script", "Batch Script for 9\n----\n#!/bin/sh\n\n")
            .With("--format='JobID,JobName,StdIn,StdOut,StdErr,WorkDir'", "9|calc|/dev/null|slurm-%j.out|/tmp/e-%x|/home/u\n9.batch|batch||||\n");
        var meta = Assert.Single(await new SlurmCliScheduler(shell, Cluster("24.11.3")).GetJobMetadataAsync(User, "9", CancellationToken.None));
        Assert.Equal("/home/u/slurm-9.out", meta.StandardOutput);
        Assert.Equal("/tmp/e-calc", meta.StandardError);
        Assert.Equal("#!/bin/sh\n", meta.Script);
    }

    [Fact]
    public void Sacct_batch_script_NONE_means_no_script_yet()
    {
        Assert.Empty(SlurmControlParsers.ParseBatchScripts("Batch Script for 9\n--------\nNONE\n"));
        Assert.Equal("echo x\n", SlurmControlParsers.ParseBatchScripts("Batch Script for 9\n--------\necho x\n\n")["9"]);
    }

    [Fact]
    public async Task Metadata_of_an_unknown_job_is_empty()
    {
        var shell = new TranscriptShell()
            .With("scontrol", "", "slurm_load_jobs error: Invalid job id specified\n", 1)
            .With("--batch-script", "")
            .With("SubmitLine", "");
        Assert.Empty(await new SlurmCliScheduler(shell, Cluster()).GetJobMetadataAsync(User, "404", CancellationToken.None));
    }

    [Fact]
    public void Recorded_sacct_batch_script_output_splits_per_job()
    {
        var scripts = SlurmControlParsers.ParseBatchScripts(SshOutput("ssh_sacct_batch_script_command").Stdout);
        Assert.Equal(["18", "19"], scripts.Keys);
        Assert.Equal("#!/bin/bash\nfor i in 1 2 3\ndo\necho $i\ndone\n", scripts["18"]);
        Assert.Equal("#!/bin/bash\nfor i in 1 2 3\ndo\necho $i\ndone\n", scripts["19"]);
    }

    [Fact]
    public async Task Cancel_runs_scancel_verbose_and_accepts_the_recorded_answer()
    {
        var shell = new TranscriptShell().With("ssh_scancel_command");
        await new SlurmCliScheduler(shell, Cluster()).CancelJobAsync(User, "22", CancellationToken.None);
        var cmd = Assert.Single(shell.Executed);
        Assert.Equal("scancel --verbose '22'", cmd.CommandLine);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_job_is_not_found_although_scancel_exits_0()
    {
        var shell = new TranscriptShell().With("ssh_scancel_unknown_command");
        Assert.Equal(0, SshOutput("ssh_scancel_unknown_command").ExitCode);
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).CancelJobAsync(User, "99999999", CancellationToken.None));
        Assert.Equal(HpcErrorKind.NotFound, ex.Kind);
        Assert.Contains("Invalid job id specified", ex.Message);
    }

    [Fact]
    public async Task Attach_runs_the_quoted_command_under_bash_inside_the_allocation_behind_the_timeout()
    {
        var shell = new TranscriptShell().With("srun", "");
        await new SlurmCliScheduler(shell, Cluster()).AttachAsync(User, "42", "true; id > /tmp/x 'q'", CancellationToken.None);
        var cmd = Assert.Single(shell.Executed);
        Assert.StartsWith("timeout 5 srun --jobid='42' --overlap -- bash -c ", cmd.CommandLine);
        Assert.Equal(["timeout", "5", "srun", "--jobid=42", "--overlap", "--", "bash", "-c", "true; id > /tmp/x 'q'"], Words(cmd.CommandLine));
        Assert.False(cmd.Idempotent);
    }

    [Theory]
    [InlineData("srun: error: Unable to confirm allocation for job 999999: Invalid job id specified\n", 1, HpcErrorKind.NotFound)]
    [InlineData("srun: error: Unable to create step for job 1: Access/permission denied\n", 1, HpcErrorKind.PermissionDenied)]
    [InlineData("srun: error: Unable to create step for job 3: Job/step already completing or completed\n", 1, HpcErrorKind.InvalidArgument)]
    [InlineData("", 124, HpcErrorKind.Timeout)]
    public async Task Attach_failures_map_to_client_errors(string stderr, int exit, HpcErrorKind expected)
    {
        var shell = new TranscriptShell().With("srun", "", stderr, exit);
        var ex = await Assert.ThrowsAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).AttachAsync(User, "7", "true", CancellationToken.None));
        Assert.Equal(expected, ex.Kind);
    }

    [Fact]
    public async Task Cancel_of_an_ended_job_is_a_client_error()
    {
        var shell = new TranscriptShell().With("scancel", "", "scancel: Terminating job 1\nscancel: error: Kill job error on job id 1: Job/step already completing or completed\n");
        var ex = await Assert.ThrowsAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).CancelJobAsync(User, "1", CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("already ended", ex.Message);
    }

    [Fact]
    public async Task Nodes_from_recorded_sinfo_merge_partitions()
    {
        var shell = new TranscriptShell().WithFixture("sinfo", "ssh_sinfo_command");
        var node = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetNodesAsync(User, CancellationToken.None));
        Assert.Equal("sinfo -a -N --noheader --format='%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'", shell.Executed[0].CommandLine);
        Assert.Equal("localhost", node.Name);
        Assert.Equal(["debug", "long"], node.Partitions);
        Assert.Equal((8, 1, 1), (node.Sockets!.Value, node.Cores!.Value, node.Threads!.Value));
        Assert.Equal(8, node.Cpus);
        Assert.Equal(23.50, node.CpuLoad);
        Assert.Equal(20966, node.FreeMemory);
        Assert.Null(node.Features);
        Assert.Equal(["IDLE"], node.State);
        Assert.Equal(1, node.Weight);
        Assert.Equal(24105, node.AllocMemory);
        Assert.Equal(0, node.AllocCpus);
        Assert.Equal(8, node.IdleCpus);
    }

    [Theory]
    [InlineData("idle", "IDLE")]
    [InlineData("allocated", "ALLOCATED")]
    [InlineData("alloc", "ALLOCATED")]
    [InlineData("mixed*", "MIXED")]
    [InlineData("down~", "DOWN")]
    [InlineData("fail", "DOWN")]
    [InlineData("drained", "DRAIN")]
    [InlineData("draining", "DRAIN")]
    [InlineData("drng", "DRAIN")]
    [InlineData("completing", "COMPLETING")]
    [InlineData("maint", "OFFLINE")]
    [InlineData("reserved", "RESERVED")]
    [InlineData("pow_dn", "POWERING_DOWN")]
    [InlineData("pow_up", "POWERING_UP")]
    [InlineData("future", "UNKNOWN")]
    [InlineData("planned", "UNKNOWN")]
    [InlineData("idle+drain", "IDLE,DRAIN")]
    public void Node_states_map_to_NodeState_names(string sinfo, string expected) =>
        Assert.Equal(expected.Split(','), SlurmControlParsers.MapNodeState(sinfo));

    [Fact]
    public async Task Partitions_from_recorded_scontrol()
    {
        var shell = new TranscriptShell().With("ssh_scontrol_partitions");
        var all = await new SlurmCliScheduler(shell, Cluster()).GetPartitionsAsync(User, true, CancellationToken.None);
        Assert.Equal("scontrol -a show -o partitions", shell.Executed[0].CommandLine);
        Assert.Equal(["debug", "long"], all.Select(p => p.Name));
        Assert.Equal("UP", all[0].PartitionState);
        Assert.Equal(8, all[0].Cpus);
        Assert.Equal(1, all[1].TotalNodes);
    }

    [Fact]
    public async Task Partitions_hide_hidden_ones_unless_asked()
    {
        var recorded = SshOutput("ssh_scontrol_partitions").Stdout;
        var hidden = recorded.Split('\n')[1].Replace("PartitionName=long", "PartitionName=secret").Replace("Hidden=NO", "Hidden=YES");
        var shell = new TranscriptShell().With("scontrol -a show -o partitions", recorded + hidden + "\n");
        var s = new SlurmCliScheduler(shell, Cluster());
        Assert.Equal(["debug", "long"], (await s.GetPartitionsAsync(User, false, CancellationToken.None)).Select(p => p.Name));
        Assert.Equal(["debug", "long", "secret"], (await s.GetPartitionsAsync(User, true, CancellationToken.None)).Select(p => p.Name));
    }

    [Theory]
    [InlineData("ssh_scontrol_reservation_command")]
    [InlineData("ssh_scontrol_reservation_iso_command")]
    public async Task Reservations_parse_epoch_and_iso_times(string transcript)
    {
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var shell = new TranscriptShell().WithRecorded("scontrol -a show -o reservations", transcript);
        var s = new SlurmCliScheduler(shell, Cluster()) { TimeZone = TimeZoneInfo.Utc, Clock = new FixedClock(now) };
        var r = Assert.Single(await s.GetReservationsAsync(User, CancellationToken.None));

        Assert.Equal("SLURM_TIME_FORMAT='%s' scontrol -a show -o reservations", shell.Executed[0].CommandLine);
        long Utc(int y, int mo, int d, int h = 0, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        // Recorded on a UTC host: starttime=2030-01-01T08:00:00 duration=120.
        Assert.Equal(("f7t-transcripts", Utc(2030, 1, 1, 8), Utc(2030, 1, 1, 10), "inactive"), (r.Name, r.StartTime!.Value, r.EndTime!.Value, r.State!));
        Assert.Equal("localhost", r.NodeList);
        Assert.Null(r.Features);
    }

    [Fact]
    public async Task No_reservations_gives_an_empty_list()
    {
        var shell = new TranscriptShell().WithRecorded("reservations", "ssh_scontrol_no_reservation_command");
        Assert.Empty(await new SlurmCliScheduler(shell, Cluster()).GetReservationsAsync(User, CancellationToken.None));
    }

    [Fact]
    public void Reservation_without_state_is_computed_from_its_times()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1000);
        var list = SlurmControlParsers.ParseReservations("ReservationName=a StartTime=900 EndTime=1100\nReservationName=b StartTime=1200 EndTime=1300\n", now, TimeZoneInfo.Utc);
        Assert.Equal(["active", "inactive"], list.Select(r => r.State));
    }

    [Fact]
    public async Task Accounts_come_from_sacctmgr_with_the_default_marked()
    {
        var shell = new TranscriptShell()
            .With("sacctmgr show assoc", "hpcproj|\nhpcproj2|\n")
            .With("sacctmgr show user", "hpcproj|\n");
        var accounts = await new SlurmCliScheduler(shell, Cluster()).GetAccountsAsync(new UserIdentity("fireuser"), CancellationToken.None);
        Assert.Equal([("hpcproj", true), ("hpcproj2", false)], accounts!.Select(a => (a.Name, a.Default)));
        Assert.Equal(["sacctmgr show assoc user='fireuser' format=account -n --parsable2", "sacctmgr show user 'fireuser' format=defaultaccount -n --parsable2"],
            shell.Executed.Select(c => c.CommandLine));
    }

    [Fact]
    public async Task Accounts_from_recorded_sacctmgr_contain_the_recorded_command()
    {
        var shell = new TranscriptShell().With("ssh_sacctmgr_accounts").With("ssh_sacctmgr_default_account");
        var accounts = await new SlurmCliScheduler(shell, Cluster()).GetAccountsAsync(new UserIdentity("fireuser"), CancellationToken.None);
        Assert.Equal([("hpcproj", true), ("hpcproj2", false)], accounts!.Select(a => (a.Name, a.Default)));
    }

    [Fact]
    public async Task Ping_of_the_recorded_controller_is_healthy()
    {
        var shell = new TranscriptShell().With("ssh_scontrol_ping");
        var (ok, message) = await new SlurmCliScheduler(shell, Cluster()).PingAsync(User, CancellationToken.None);
        Assert.True(ok);
        Assert.Contains("UP", message);
    }

    [Theory]
    [InlineData("Slurmctld(primary) at vm is UP\n", 0, true)]
    [InlineData("Slurmctld(primary) at vm is DOWN\n", 1, false)]
    [InlineData("Slurmctld(primary) at a is UP\nSlurmctld(backup) at b is DOWN\n", 1, true)]
    [InlineData("", 1, false)]
    public async Task Ping_is_healthy_when_a_controller_is_up(string stdout, int rc, bool healthy)
    {
        var shell = new TranscriptShell().With("scontrol ping", stdout, "scontrol: error: no controller\n", rc);
        var (ok, message) = await new SlurmCliScheduler(shell, Cluster()).PingAsync(User, CancellationToken.None);
        Assert.Equal(healthy, ok);
        Assert.False(string.IsNullOrEmpty(message));
    }

    [Theory]
    [InlineData("0:07", 7L)]
    [InlineData("1:02:03", 3723L)]
    [InlineData("5-00:00:00", 432000L)]
    [InlineData("2-03", 183600L)]
    [InlineData("00:00:00", 0L)]
    [InlineData("UNLIMITED", null)]
    [InlineData("", null)]
    public void Durations_convert_to_seconds(string text, long? expected) => Assert.Equal(expected, SchedulerText.ParseDuration(text));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
