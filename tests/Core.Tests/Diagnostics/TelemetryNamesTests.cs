using Firecrest.Core.Diagnostics;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;

namespace Firecrest.Core.Tests.Diagnostics;

/// <summary>What span names and metric labels take from a command line or a request path: a program name or a route, never a value.</summary>
public sealed class TelemetryNamesTests
{
    [Theory]
    [InlineData("timeout 5 ls -l --quoting-style=c -- '/home/fireuser'", "ls")]
    [InlineData("timeout -s KILL 2.5s stat -c '%f' -- '/x'", "stat")]
    [InlineData("LC_ALL=C SLURM_TIME_FORMAT=standard squeue --me", "squeue")]
    [InlineData("/usr/bin/sbatch --parsable", "sbatch")]
    [InlineData("env exec nice sacct -j 12", "sacct")]
    [InlineData("true", "true")]
    [InlineData("'/home/fireuser/secret dir/run.sh' --token abc", "sh")]
    [InlineData("F7T_TOKEN='abc' ./job", "sh")]
    [InlineData("$(cat /etc/passwd)", "sh")]
    [InlineData("{ ls; }", "sh")]
    [InlineData("timeout 5", "sh")]
    [InlineData("   ", "sh")]
    public void The_program_of_a_command_line_is_its_first_plain_word_or_sh(string line, string expected) =>
        Assert.Equal(expected, SshTelemetry.ProgramOf(line));

    [Fact]
    public void The_program_of_every_file_command_is_the_tool_and_no_path()
    {
        var lines = new FileCommandLines(5);
        var path = "/home/fireuser/a b";
        Assert.Equal("ls", SshTelemetry.ProgramOf(lines.Ls(path, new ListOptions())));
        Assert.Equal("head", SshTelemetry.ProgramOf(lines.Head(path, 10, null, false)));
        Assert.Equal("sha256sum", SshTelemetry.ProgramOf(lines.Checksum(path)));
        Assert.Equal("dd", SshTelemetry.ProgramOf(lines.View(path, 10, 0)));
    }

    [Theory]
    [InlineData("/slurm/{v}/job/4242", "/slurm/{v}/job/{job_id}")]
    [InlineData("/slurm/{v}/job/4242_7", "/slurm/{v}/job/{job_id}")]
    [InlineData("/slurm/{v}/job/submit", "/slurm/{v}/job/submit")]
    [InlineData("/slurmdb/{v}/jobs?users=fireuser&start_time=0", "/slurmdb/{v}/jobs")]
    [InlineData("/slurm/{v}/ping", "/slurm/{v}/ping")]
    public void A_slurmrestd_span_names_the_route_without_job_id_or_query(string path, string expected) =>
        Assert.Equal(expected, SlurmRestScheduler.PathTemplate(path));
}
