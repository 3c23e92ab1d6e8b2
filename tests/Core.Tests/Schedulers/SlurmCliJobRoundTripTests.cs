using System.Text.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

/// <summary>GET jobs/{id} on the Slurm CLI: how many remote commands it costs, and that skipping sacct changes no answer.</summary>
public class SlurmCliJobRoundTripTests
{
    private static readonly UserIdentity User = new("fireuser");

    private const string PendingSqueue = "31|1|cluster||fireuser|hpcproj|wrap||debug|4294901744|PENDING|Priority|0:00|1795658270|N/A|N/A||UNLIMITED|fireuser|/home/fireuser\n";
    private const string PendingSacct = "31|0|cluster|0:0|fireuser|hpcproj|wrap|None assigned|debug|4294901744|PENDING|Priority|0|1795658270|Unknown|Unknown|00:00:00|UNLIMITED|fireuser|/home/fireuser\n";

    [Fact]
    public async Task Pending_job_is_answered_by_squeue_alone_with_the_answer_the_merge_gives()
    {
        var shell = new TranscriptShell().With("sacct ", PendingSacct).With("squeue ", PendingSqueue);
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "31", CancellationToken.None));

        var command = Assert.Single(shell.Executed);
        Assert.Contains(" squeue --jobs='31' ", command.CommandLine);
        // What the former sacct + squeue merge answered for the same job.
        var merged = Assert.Single(SlurmJobRows.Merge(SlurmJobRows.Parse(PendingSacct), SlurmJobRows.Parse(PendingSqueue)).Jobs);
        Assert.Equal(JsonSerializer.Serialize(merged), JsonSerializer.Serialize(job));
        Assert.Equal(("PENDING", "Priority"), (job.Status.State, job.Status.StateReason));
    }

    [Fact]
    public async Task Running_job_reads_squeue_then_sacct()
    {
        var shell = new TranscriptShell()
            .With("sacct ", "5|1|cluster|0:0|g|acc|job|n1|debug|1|RUNNING|None|10|1|2|Unknown|00:00:00|60|u|/w\n5.batch|1|cluster|0:0||acc|batch|n1|||RUNNING||10|1|2|Unknown|00:00:00|||\n")
            .With("squeue ", "5|1|cluster||g|acc|job|n1|debug|1|RUNNING|None|0:10|1|2|N/A||1:00:00|u|/w\n");
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "5", CancellationToken.None));

        Assert.Equal(2, shell.Executed.Count);
        Assert.Contains(" squeue ", shell.Executed[0].CommandLine);
        Assert.Contains(" sacct ", shell.Executed[1].CommandLine);
        Assert.Equal(0, job.Status.ExitCode); // from sacct: squeue has no exit code
        Assert.Equal("5.batch", Assert.Single(job.Tasks!).Id);
    }

    [Fact]
    public async Task Job_the_queue_no_longer_knows_is_read_from_accounting()
    {
        var shell = new TranscriptShell()
            .With("sacct ", "7|1|cluster|0:0|g|acc|job|n1|debug|1|COMPLETED|None|10|1|2|12|00:00:00|60|u|/w\n")
            .With("squeue ", "", "slurm_load_jobs error: Invalid job id specified\n", 1);
        var job = Assert.Single(await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "7", CancellationToken.None));

        Assert.Equal(2, shell.Executed.Count);
        Assert.Equal("COMPLETED", job.Status.State);
    }

    [Theory]
    [InlineData("12", "12_[2-3]")] // ended elements live only in sacct
    [InlineData("12_2", "12_2")]
    public async Task Arrays_always_read_accounting_even_when_the_queue_says_pending(string asked, string listed)
    {
        var shell = new TranscriptShell()
            .With("sacct ", "12_1|1|cluster|0:0|g|acc|arr|n1|debug|1|COMPLETED|None|5|90|100|110|00:00:00|60|fireuser|/tmp\n")
            .With("squeue ", $"{listed}|1|cluster||g|acc|arr||debug|1|PENDING|None|0:00|90|N/A|N/A||1:00:00|fireuser|/tmp\n");
        await new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, asked, CancellationToken.None);

        Assert.Contains(shell.Executed, c => c.CommandLine.Contains(" sacct ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queue_error_other_than_unknown_job_is_still_an_error()
    {
        var shell = new TranscriptShell()
            .With("sacct ", "")
            .With("squeue ", "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", 1);
        var ex = await Assert.ThrowsAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).GetJobAsync(User, "8", CancellationToken.None));
        Assert.Equal(HpcErrorKind.Internal, ex.Kind);
    }
}
