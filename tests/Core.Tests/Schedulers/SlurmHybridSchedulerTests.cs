using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class SlurmHybridSchedulerTests
{
    private static readonly UserIdentity User = new("fireuser", "jwt");

    private static (SlurmHybridScheduler Hybrid, FakeSlurmRestHandler Http, TranscriptShell Shell) Hybrid()
    {
        var http = new FakeSlurmRestHandler().On("POST", "/job/submit", """{"job_id":5}""");
        var shell = new TranscriptShell().With("sbatch", "Submitted batch job 6\n")
            .With("scontrol show -o job", "JobId=5 JobName=x UserId=fireuser(1) WorkDir=/w StdOut=o-%j\n").With("batch_script", "#!/bin/sh\n")
            .With("srun", "");
        var cluster = Cluster();
        cluster.Scheduler.ApiUrl = "http://slurm:6820";
        cluster.Scheduler.ApiVersion = "0.0.42";
        var hybrid = new SlurmHybridScheduler(new SlurmRestScheduler(new HttpClient(http), cluster), new SlurmCliScheduler(shell, cluster));
        return (hybrid, http, shell);
    }

    [Fact]
    public async Task Inline_scripts_go_over_rest_and_script_paths_over_ssh()
    {
        var (hybrid, http, shell) = Hybrid();
        Assert.Equal("5", await hybrid.SubmitJobAsync(User, new() { WorkingDirectory = "/w", Script = "#!/bin/sh\n" }, CancellationToken.None));
        Assert.Equal("6", await hybrid.SubmitJobAsync(User, new() { WorkingDirectory = "/w", ScriptPath = "/w/j.sh" }, CancellationToken.None));
        Assert.Single(http.Requests);
        Assert.Equal("sbatch --export='ALL,F7T_version=v2.0.0' --chdir='/w' -- '/w/j.sh'", Assert.Single(shell.Executed).CommandLine);
    }

    [Fact]
    public async Task Metadata_and_attach_go_over_ssh()
    {
        var (hybrid, http, shell) = Hybrid();
        var meta = Assert.Single(await hybrid.GetJobMetadataAsync(User, "5", CancellationToken.None));
        Assert.Equal(("#!/bin/sh\n", "/w/o-5"), (meta.Script, meta.StandardOutput));
        await hybrid.AttachAsync(User, "5", "hostname", CancellationToken.None);
        Assert.Empty(http.Requests);
        Assert.Equal(3, shell.Executed.Count);
    }

    [Fact]
    public async Task Empty_account_and_name_mean_no_filter()
    {
        var (hybrid, http, _) = Hybrid();
        http.On("GET", "/slurm/v0.0.42/jobs", Api("slurm_get_allusers_jobs")).On("GET", "/slurmdb/v0.0.42/jobs", Api("slurm_get_allusers_jobs_from_db"));
        var unfiltered = await hybrid.GetJobsAsync(User, new JobQuery(AllUsers: true), CancellationToken.None);
        var empty = await hybrid.GetJobsAsync(User, new JobQuery(AllUsers: true, Account: "", Name: ""), CancellationToken.None);

        Assert.NotEmpty(unfiltered);
        Assert.Equal(unfiltered.Select(j => j.JobId), empty.Select(j => j.JobId));
        Assert.All(http.Requests, r => Assert.DoesNotContain("account=", r.Uri.Query));
    }
}
