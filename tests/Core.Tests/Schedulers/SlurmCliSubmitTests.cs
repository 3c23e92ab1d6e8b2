using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Core.Tests.Schedulers.SchedulerFixtures;

namespace Firecrest.Core.Tests.Schedulers;

public class SlurmCliSubmitTests
{
    private static readonly UserIdentity User = new("test-user");

    private static JobDescription Job() => new()
    {
        Name = "test1", WorkingDirectory = "/home/test1", Partition = "partition_a", Reservation = "myreservation",
        Env = new() { ["PATH"] = "/bin:/usr/bin/:/usr/local/bin/" }, Script = "#!/bin/bash\necho hi\n",
    };

    [Fact]
    public async Task Submit_of_inline_script_sends_it_on_stdin_and_returns_the_id()
    {
        var shell = new TranscriptShell().With("ssh_sbatch_command");
        var job = Job(); job.Reservation = null; job.Partition = "debug"; job.Account = "hpcproj"; job.Name = "SbatchTest";
        job.WorkingDirectory = "/home/fireuser/f7t-transcripts/jobs";
        var id = await new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None);

        Assert.Equal("18", id);
        var cmd = Assert.Single(shell.Executed);
        Assert.Equal("sbatch --export='ALL,PATH=/bin:/usr/bin/:/usr/local/bin/' --chdir='/home/fireuser/f7t-transcripts/jobs' --partition='debug' --account='hpcproj' --job-name='SbatchTest'", cmd.CommandLine);
        Assert.Equal("#!/bin/bash\necho hi\n", cmd.Stdin);
        Assert.False(cmd.Idempotent);
        // The very command line recorded on the cluster.
        Assert.Equal(SshOutput("ssh_sbatch_command").Command, cmd.CommandLine);
    }

    [Fact]
    public async Task Submit_with_reservation_passes_it_after_the_partition()
    {
        var shell = new TranscriptShell().With("sbatch ", "Submitted batch job 3\n");
        Assert.Equal("3", await new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, Job(), CancellationToken.None));
        Assert.Equal("sbatch --export='ALL,PATH=/bin:/usr/bin/:/usr/local/bin/' --chdir='/home/test1' --partition='partition_a' --reservation='myreservation' --job-name='test1'",
            shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Submit_with_every_option_and_a_script_path_builds_the_full_command()
    {
        var shell = new TranscriptShell().With("sbatch ", "Submitted batch job 77\n");
        var job = new JobDescription
        {
            Name = "n", Account = "acc", Reservation = "r", Partition = "p", Constraints = "gpu&mc", WorkingDirectory = "/home/it's",
            StandardInput = "in.txt", StandardOutput = "out-%j.txt", StandardError = "err.txt", Env = new() { ["A"] = "x y", ["B"] = "it's" },
            ScriptPath = "/home/u/job.sh", Dependency = "afterok:12:13",
        };
        var id = await new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None);

        Assert.Equal("77", id);
        var cmd = Assert.Single(shell.Executed);
        Assert.Null(cmd.Stdin);
        Assert.Equal(
            ["sbatch", "--export=ALL,A=x y,B", "--chdir=/home/it's", "--partition=p", "--reservation=r", "--account=acc", "--job-name=n",
             "--error=err.txt", "--output=out-%j.txt", "--input=in.txt", "--constraint=gpu&mc", "--dependency=afterok:12:13", "--", "/home/u/job.sh"],
            Words(cmd.CommandLine));
        Assert.Equal("it's", Assert.Single(cmd.Environment!, kv => kv.Key == "B").Value);
    }

    [Fact]
    public async Task Env_values_Slurms_list_would_split_travel_in_sbatchs_environment()
    {
        var shell = new TranscriptShell().With("sbatch ", "Submitted batch job 5");
        var job = Job();
        job.Env = new() { ["XZ"] = "a,XY2=injected", ["NL"] = "x\ny", ["EQ"] = "a=b=c", ["Q"] = "it's \"q\"" };
        await new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None);
        var cmd = shell.Executed[0];
        Assert.StartsWith("sbatch --export='ALL,XZ,NL,EQ=a=b=c,Q' ", cmd.CommandLine);
        Assert.Equal(new Dictionary<string, string> { ["XZ"] = "a,XY2=injected", ["NL"] = "x\ny", ["Q"] = "it's \"q\"" }, cmd.Environment);
        Assert.StartsWith("NL='x\ny' Q='it'\\''s \"q\"' XZ='a,XY2=injected' sbatch ", Firecrest.Core.Ssh.RemoteCommandLine.Build(cmd));
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("SBATCH_ACCOUNT")]
    [InlineData("SLURM_CONF")]
    public async Task Variables_that_steer_sbatch_with_such_values_are_refused(string name)
    {
        var shell = new TranscriptShell().With("sbatch ", "Submitted batch job 5");
        var job = Job();
        job.Env = new() { [name] = "a,b" };
        var e = await Assert.ThrowsAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(name, e.Message);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task Submit_without_env_exports_the_default_F7T_version()
    {
        var shell = new TranscriptShell().With("sbatch ", "Submitted batch job 5");
        var job = Job(); job.Env = null;
        await new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None);
        Assert.StartsWith("sbatch --export='ALL,F7T_version=v2.0.0' ", shell.Executed[0].CommandLine);
    }

    [Fact]
    public async Task Submit_over_QOS_limit_is_quota_exceeded()
    {
        // Slurm's message for a QOS limit (the local cluster has no QOS limits to record it from).
        var shell = new TranscriptShell().With("sbatch ", "", "sbatch: error: QOSMaxSubmitJobPerUserLimit\nsbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)\n", 1);
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, Job(), CancellationToken.None));
        Assert.Equal(HpcErrorKind.QuotaExceeded, ex.Kind);
        Assert.Contains("Job violates accounting/QOS policy", ex.Message);
    }

    [Fact]
    public async Task Submit_with_invalid_account_is_invalid_argument_with_Slurms_message()
    {
        var shell = new TranscriptShell().WithFixture("sbatch ", "ssh_sbatch_command_invalid_account");
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, Job(), CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("Invalid account or account/partition combination specified", ex.Message);
    }

    [Theory]
    [InlineData("BAD-NAME")]
    [InlineData("A;touch x")]
    [InlineData("")]
    public async Task Submit_with_bad_environment_name_is_refused_before_running(string name)
    {
        var shell = new TranscriptShell();
        var job = Job(); job.Env = new() { [name] = "v" };
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => new SlurmCliScheduler(shell, Cluster()).SubmitJobAsync(User, job, CancellationToken.None));
        Assert.Equal(HpcErrorKind.InvalidArgument, ex.Kind);
        Assert.Empty(shell.Executed);
    }

    [Fact]
    public async Task Submit_with_both_or_neither_script_is_invalid()
    {
        var shell = new TranscriptShell();
        var both = Job(); both.ScriptPath = "/x.sh";
        var neither = Job(); neither.Script = null;
        var s = new SlurmCliScheduler(shell, Cluster());
        Assert.Equal(HpcErrorKind.InvalidArgument, (await Assert.ThrowsAnyAsync<HpcException>(() => s.SubmitJobAsync(User, both, CancellationToken.None))).Kind);
        Assert.Equal(HpcErrorKind.InvalidArgument, (await Assert.ThrowsAnyAsync<HpcException>(() => s.SubmitJobAsync(User, neither, CancellationToken.None))).Kind);
        Assert.Empty(shell.Executed);
    }
}
