using System.Net;
using System.Net.Http.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using Xunit.Abstractions;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// Job environment values with <c>,</c>, newlines, <c>=</c> and quotes reach the job exactly, and inject nothing
/// (<c>{"XZ":"a,XY2=injected"}</c> must not set XY2): through the server in Slurm CLI mode and over slurmrestd.
/// </summary>
[Trait("Category", "Security")]
public sealed class EnvValueTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>
{
    private static readonly Dictionary<string, string> Hostile = new()
    {
        ["XZ"] = "a,XY2=injected",
        ["NL"] = "x\ny,XY3=z",
        ["EQ"] = "a=b=c",
        ["Q"] = "it's \"q\" $HOME `id`",
    };

    /// <summary>Writes each value NUL-terminated, then XY2/XY3 or "unset"; the file appears whole (renamed into place).</summary>
    private static string Script(string outFile) =>
        $"printf '%s\\0' \"$XZ\" \"$NL\" \"$EQ\" \"$Q\" \"${{XY2-unset}}\" \"${{XY3-unset}}\" > {outFile}.part && mv -- {outFile}.part {outFile}";

    private static async Task<string[]> ReadValuesAsync(string outFile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(outFile))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{outFile} never appeared");
            await Task.Delay(300);
        }
        var values = (await File.ReadAllTextAsync(outFile)).Split('\0');
        File.Delete(outFile);
        return values;
    }

    private void AssertExact(string[] values)
    {
        output.WriteLine(string.Join(" | ", values));
        Assert.Equal([Hostile["XZ"], Hostile["NL"], Hostile["EQ"], Hostile["Q"], "unset", "unset", ""], values);
    }

    [Fact]
    public async Task Slurm_cli_job_sees_exactly_the_values_through_the_server()
    {
        var outFile = $"/home/fireuser/env-{Guid.NewGuid():N}.out";
        await f.SubmitAsync(Script(outFile), Hostile);
        AssertExact(await ReadValuesAsync(outFile));
    }

    [Fact]
    public async Task Slurmrestd_job_sees_exactly_the_values()
    {
        var c = Cluster();
        c.Scheduler.ConnectionMode = Firecrest.Core.Configuration.SchedulerConnectionMode.Rest;
        c.Scheduler.ApiUrl = TestCluster.Current["SLURMRESTD_URL"];
        c.Scheduler.ApiVersion = "0.0.38";
        c.Scheduler.JwtKeyFile = TestCluster.Current["SLURM_JWT_KEY"];
        using var http = new HttpClient();
        var rest = new SlurmRestScheduler(http, c);
        var outFile = $"/home/fireuser/env-rest-{Guid.NewGuid():N}.out";
        var job = new JobDescription { Name = "env-rest", WorkingDirectory = "/home/fireuser", StandardOutput = "/dev/null", Script = "#!/bin/bash\n" + Script(outFile) + "\n", Env = Hostile };
        await rest.SubmitJobAsync(FireUser, job, CancellationToken.None);
        AssertExact(await ReadValuesAsync(outFile));
    }

    [Fact]
    public async Task A_variable_that_steers_sbatch_with_a_comma_is_400()
    {
        using var r = await f.User1.PostAsJsonAsync("/compute/cluster/jobs",
            new { job = new { workingDirectory = "/home/fireuser", script = "#!/bin/bash\ntrue\n", env = new Dictionary<string, string> { ["PATH"] = "/bin,/x" } } });
        output.WriteLine($"{(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }
}
