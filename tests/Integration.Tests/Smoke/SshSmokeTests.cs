using Firecrest.Core;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Smoke;

/// <summary>The local cluster answers: a real SSH exec and a real Slurm job.</summary>
public sealed class SshSmokeTests : IDisposable
{
    private readonly DirectSshShell _shell = new();
    private static readonly UserIdentity FireUser = new("fireuser");

    [Fact]
    public async Task Ssh_exec_as_fireuser_runs_on_the_local_sshd()
    {
        var r = await _shell.RunAsync("cluster", FireUser, new RemoteCommand("id -un; printf %s " + ShellQuote.Quote("it's ok")), CancellationToken.None);
        Assert.Equal(0, r.ExitStatus);
        Assert.Equal("fireuser\nit's ok", r.Stdout);
    }

    [Fact]
    public async Task Sbatch_job_is_seen_completed_in_sacct()
    {
        var submit = await _shell.RunAsync("cluster", FireUser, new RemoteCommand("sbatch --parsable --chdir=/tmp --wrap 'echo smoke'"), CancellationToken.None);
        Assert.True(submit.ExitStatus == 0, submit.Stderr);
        var jobId = submit.Stdout.Trim().Split(';')[0];
        Assert.Matches("^[0-9]+$", jobId);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            // JobName is checked so that the short-lived placeholder row after the job ends is not taken for the final one.
            var r = await _shell.RunAsync("cluster", FireUser, new RemoteCommand($"sacct -X -n -P -j {jobId} -o JobName,State,ExitCode"), CancellationToken.None);
            last = r.Stdout.Trim();
            if (last == "wrap|COMPLETED|0:0") return;
            await Task.Delay(300);
        }
        Assert.Fail($"job {jobId} not COMPLETED in sacct within 90 s; last row: '{last}'");
    }

    public void Dispose() => _shell.Dispose();
}
