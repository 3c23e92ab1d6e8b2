using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Ssh;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Schedulers;

/// <summary>Array jobs through the Slurm CLI adapter against the local Slurm 22.05, as fireuser.</summary>
public sealed class SlurmCliArrayJobTests : IDisposable
{
    private readonly DirectSshShell _shell = new();

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task Array_of_three_is_one_job_with_three_completed_tasks()
    {
        var cluster = FirecrestConfigLoader.Load(TestCluster.Current.ConfigPath).Settings.Clusters
            .First(c => c.Scheduler.Type == SchedulerType.Slurm);
        var slurm = new SlurmCliScheduler(_shell, cluster);
        var submit = await _shell.RunAsync(cluster.Name, FireUser,
            new RemoteCommand("sbatch --parsable --array=1-3 --chdir=/tmp --output=/dev/null --job-name=" + UniqueName("array") + " --wrap 'exit 0'"),
            CancellationToken.None);
        Assert.True(submit.ExitStatus == 0, submit.Stderr);
        var arrayId = submit.Stdout.Trim().Split(';')[0];

        var job = await WaitForAsync(slurm, FireUser, arrayId,
            j => j.Tasks?.Count == 3 && j.Tasks.All(t => t.Status.State == "COMPLETED"), TimeSpan.FromSeconds(90));

        var only = Assert.Single(await slurm.GetJobAsync(FireUser, arrayId, CancellationToken.None));
        Assert.Equal(arrayId, only.JobId);
        Assert.Equal([$"{arrayId}_1", $"{arrayId}_2", $"{arrayId}_3"], job.Tasks!.Select(t => t.Id).Order());
        Assert.Equal("COMPLETED", job.Status.State);
        Assert.Equal(JobState.Completed, job.State);

        var element = Assert.Single(await slurm.GetJobAsync(FireUser, arrayId + "_2", CancellationToken.None));
        Assert.Equal(arrayId + "_2", element.JobId);
        Assert.Equal("COMPLETED", element.Status.State);
    }
}
