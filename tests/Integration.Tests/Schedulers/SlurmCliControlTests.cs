using Firecrest.Core;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Schedulers;

/// <summary>Features beyond FirecREST v2 and accounting fallbacks of the Slurm CLI adapter, against the local Slurm 22.05 as fireuser.</summary>
[Trait("Category", "Cluster")]
public sealed class SlurmCliControlTests : IDisposable
{
    private readonly DirectSshShell _shell = new();
    private readonly SlurmCliScheduler _slurm;

    public SlurmCliControlTests() => _slurm = new SlurmCliScheduler(_shell, Cluster());

    public void Dispose() => _shell.Dispose();

    private async Task<string> ReadAsync(string path) =>
        (await _shell.RunAsync("cluster", FireUser, new RemoteCommand("cat " + ShellQuote.Quote(path)), CancellationToken.None)).Stdout;

    [Theory]
    [InlineData("fo-%x-%4j.log", "fo-{name}-{id4}.log")]
    [InlineData(null, "slurm-{id}.out")]
    public async Task Output_of_a_job_the_controller_forgot_is_found_through_accounting(string? pattern, string expected)
    {
        var name = UniqueName("forgot");
        var dir = $"/scratch/{FireUser.Username}";
        var job = Script(name, $"echo out-{name}");
        job.WorkingDirectory = dir;
        job.StandardOutput = pattern;
        var id = await _slurm.SubmitJobAsync(FireUser, job, CancellationToken.None);
        await WaitForFinalAsync(_slurm, FireUser, id);

        // The path slurmctld would give (while it knows the job) and the one rebuilt from accounting (after MinJobAge) agree.
        var file = $"{dir}/" + expected.Replace("{name}", name).Replace("{id4}", id.PadLeft(4, '0')).Replace("{id}", id);
        var fromAccounting = Assert.Single(await PollAsync(() => _slurm.MetadataFromAccountingAsync(FireUser, id, CancellationToken.None),
            l => l.Count > 0 && l[0].StandardOutput is not null));
        Assert.Equal(file, fromAccounting.StandardOutput);
        Assert.Equal(file, fromAccounting.StandardError);
        Assert.Equal($"out-{name}\n", await ReadAsync(file));
        var live = Assert.Single(await _slurm.GetJobMetadataAsync(FireUser, id, CancellationToken.None));
        Assert.Equal(live.StandardOutput, fromAccounting.StandardOutput);
    }

    [Fact]
    public async Task A_pending_job_is_held_and_released_and_an_ended_one_refused_with_the_reason()
    {
        var id = await _slurm.SubmitJobAsync(FireUser, Script(UniqueName("hold"), "#SBATCH --begin=now+3600\nsleep 60"), CancellationToken.None);
        try
        {
            await _slurm.HoldJobAsync(FireUser, id, CancellationToken.None);
            await _slurm.HoldJobAsync(FireUser, id, CancellationToken.None); // again: no change, no error
            var held = await WaitForAsync(_slurm, FireUser, id, j => j.Status.StateReason == "JobHeldUser");
            Assert.Equal(JobState.Pending, held.State);
            await _slurm.ReleaseJobAsync(FireUser, id, CancellationToken.None);
            // scontrol release also clears the begin time: the job may start at once.
            await WaitForAsync(_slurm, FireUser, id, j => j.Status.StateReason != "JobHeldUser");
            var other = await Assert.ThrowsAsync<HpcException>(() => _slurm.HoldJobAsync(FireUser2, id, CancellationToken.None));
            Assert.NotEqual(HpcErrorKind.Internal, other.Kind);
        }
        finally
        {
            await _slurm.CancelJobAsync(FireUser, id, CancellationToken.None);
        }
        await WaitForFinalAsync(_slurm, FireUser, id);
        var ended = await Assert.ThrowsAsync<HpcException>(() => _slurm.HoldJobAsync(FireUser, id, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ended.Kind);
        Assert.Contains("already ended", ended.Message);
    }

    [Fact]
    public async Task Accounting_partitions_and_nodes_describe_the_local_cluster()
    {
        var job = Script(UniqueName("acct"), "#SBATCH --time=00:02:00\nsleep 1");
        var id = await _slurm.SubmitJobAsync(FireUser, job, CancellationToken.None);
        await WaitForFinalAsync(_slurm, FireUser, id);
        var a = Assert.Single(await PollAsync(() => _slurm.GetJobAccountingAsync(FireUser, id, CancellationToken.None), l => l.Count > 0 && l[0].TimeLimitSeconds is not null));
        Assert.Equal((id, "COMPLETED", 120L, 1, 1), (a.JobId, a.State, a.TimeLimitSeconds!.Value, a.AllocatedCpus!.Value, a.AllocatedNodes!.Value));
        Assert.InRange(a.ElapsedSeconds!.Value, 1, 60);

        var partitions = await _slurm.GetPartitionDetailsAsync(FireUser, CancellationToken.None);
        var debug = Assert.Single(partitions, p => p.Name == "debug");
        var longPartition = Assert.Single(partitions, p => p.Name == "long");
        Assert.Equal((true, "UP", (long?)null, 1, 8), (debug.IsDefault, debug.State, debug.MaxTimeSeconds, debug.TotalNodes!.Value, debug.TotalCpus!.Value));
        Assert.Equal((false, 7 * 86400L), (longPartition.IsDefault, longPartition.MaxTimeSeconds!.Value));

        var node = Assert.Single(await _slurm.GetNodeResourcesAsync(FireUser, CancellationToken.None));
        Assert.Equal(("localhost", 8, 0), (node.Name, node.CpusTotal!.Value, node.GpusTotal));
        Assert.Equal(["debug", "long"], node.Partitions);
    }
}
