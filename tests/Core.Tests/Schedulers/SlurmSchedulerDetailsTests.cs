using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public sealed class SlurmSchedulerDetailsTests
{
    private static readonly UserIdentity User = new("fireuser");

    [Fact]
    public void Accounting_takes_cpu_time_from_the_job_and_max_rss_from_its_steps()
    {
        var rows = SlurmAccounting.Parse("""
            40|COMPLETED|120|10|4|1|00:03:30|||cpu=4,mem=8G,node=1
            40.batch|COMPLETED|120||4|1|00:03:00|512000K|4G|cpu=4,mem=8G,node=1
            40.0|COMPLETED|100||4|1|00:00:30|1.5G||cpu=4
            """);
        var a = Assert.Single(rows);
        Assert.Equal(("40", "COMPLETED", 120L, 600L, 4, 1), (a.JobId, a.State, a.ElapsedSeconds!.Value, a.TimeLimitSeconds!.Value, a.AllocatedCpus!.Value, a.AllocatedNodes!.Value));
        Assert.Equal(210, a.CpuTimeSeconds);
        Assert.Equal((long)(1.5 * 1024 * 1024 * 1024), a.MaxRssBytes);
        Assert.Equal(0.438, a.CpuEfficiency);
        Assert.Equal(0.2, a.TimeLimitUsed);
    }

    [Fact]
    public void Accounting_without_gathered_usage_says_unknown_not_zero()
    {
        var a = Assert.Single(SlurmAccounting.Parse("973|FAILED|0|UNLIMITED|1|1|00:00:00||24105M|billing=1,cpu=1,node=1\n973.batch|FAILED|0||1|1|00:00:00|||cpu=1,mem=0,node=1\n"));
        Assert.Null(a.CpuTimeSeconds);
        Assert.Null(a.MaxRssBytes);
        Assert.Null(a.TimeLimitSeconds);
        Assert.Null(a.CpuEfficiency);
        Assert.Null(a.TimeLimitUsed);
    }

    [Fact]
    public void Accounting_lists_array_elements_apart()
    {
        var rows = SlurmAccounting.Parse("12_1|COMPLETED|5|1|1|1|00:00:01|||\n12_1.batch|COMPLETED|5||1|1|00:00:01|10M||\n12_2|FAILED|6|1|1|1|00:00:02|||\n");
        Assert.Equal(["12_1", "12_2"], rows.Select(r => r.JobId));
        Assert.Equal(10L << 20, rows[0].MaxRssBytes);
        Assert.Null(rows[1].MaxRssBytes);
        Assert.Equal(2, rows[1].CpuTimeSeconds);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("(null)", 0)]
    [InlineData("gpu:4", 4)]
    [InlineData("gpu:a100:2(S:0-1)", 2)]
    [InlineData("gpu:a100:2(IDX:0-1),gpu:v100:1(IDX:2)", 3)]
    [InlineData("mps:100,gpu:1", 1)]
    [InlineData("nvme:2", 0)]
    public void Gpus_add_up_the_gpu_entries_of_a_gres_list(string? gres, int gpus) => Assert.Equal(gpus, SlurmNodeResources.Gpus(gres));

    [Fact]
    public void Node_resources_merge_partitions_and_read_cpus_memory_and_gpus()
    {
        var nodes = SlurmNodeResources.Parse("""
            gpu01|6/26/0/32|gpu:a100:4(S:0-1)|gpu:a100:1(IDX:0)|mixed|gpu*|256000|64000
            gpu01|6/26/0/32|gpu:a100:4(S:0-1)|gpu:a100:1(IDX:0)|mixed|long|256000|64000
            cpu01|0/8/0/8|(null)|(null)|idle|debug|24105|0
            """);
        Assert.Equal(2, nodes.Count);
        var g = nodes[0];
        Assert.Equal(("gpu01", "mixed", 32, 6, 26, 4, 1), (g.Name, g.State, g.CpusTotal!.Value, g.CpusAllocated!.Value, g.CpusIdle!.Value, g.GpusTotal, g.GpusUsed));
        Assert.Equal(["gpu", "long"], g.Partitions);
        Assert.Equal((256000L, 64000L), (g.MemoryTotalMb!.Value, g.MemoryAllocatedMb!.Value));
        Assert.Equal((0, 0, (string?)null), (nodes[1].GpusTotal, nodes[1].GpusUsed, nodes[1].Gres));
    }

    [Fact]
    public void Partition_details_read_limits_and_the_default_flag_and_leave_hidden_ones_out()
    {
        var parts = SlurmControlParsers.ParsePartitionDetails(
            "PartitionName=debug Default=YES DefaultTime=00:30:00 Hidden=NO MaxNodes=UNLIMITED MaxTime=UNLIMITED Nodes=localhost State=UP TotalCPUs=8 TotalNodes=1\n" +
            "PartitionName=long Default=NO DefaultTime=NONE Hidden=NO MaxNodes=4 MaxTime=7-00:00:00 Nodes=n[1-4] State=DRAIN TotalCPUs=32 TotalNodes=4\n" +
            "PartitionName=secret Default=NO Hidden=YES MaxTime=1:00:00 State=UP TotalCPUs=1 TotalNodes=1\n");
        Assert.Equal(2, parts.Count);
        Assert.Equal(new Firecrest.Core.Models.PartitionDetails("debug", "UP", true, null, 1800, 1, 8, null, "localhost"), parts[0]);
        Assert.Equal(new Firecrest.Core.Models.PartitionDetails("long", "DRAIN", false, 7 * 86400, null, 4, 32, 4, "n[1-4]"), parts[1]);
    }

    [Fact]
    public async Task Hold_and_release_run_scontrol_with_the_quoted_id_and_name_an_ended_job()
    {
        var shell = new TranscriptShell()
            .With("scontrol hold", "")
            .With("scontrol release", "Job has already finished for job 977\n", "slurm_suspend error: Job has already finished\n", 1);
        var scheduler = new SlurmCliScheduler(shell, Cluster());
        await scheduler.HoldJobAsync(User, "976", CancellationToken.None);
        var e = await Assert.ThrowsAsync<HpcException>(() => scheduler.ReleaseJobAsync(User, "977", CancellationToken.None));
        Assert.Equal(["scontrol hold '976'", "scontrol release '977'"], shell.Executed.Select(c => c.CommandLine));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("already ended", e.Message);
        await Assert.ThrowsAnyAsync<HpcException>(() => scheduler.HoldJobAsync(User, "1; rm -rf /", CancellationToken.None));
        Assert.Equal(2, shell.Executed.Count);
    }
}
