using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Tests.Support;
using static Firecrest.Integration.Tests.Schedulers.SlurmTestJobs;

namespace Firecrest.Integration.Tests.Schedulers;

/// <summary>The slurmrestd adapter against the local slurmrestd (v0.0.38, Slurm 22.05) with tokens minted from Slurm's key.</summary>
public sealed class SlurmRestSchedulerTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly DirectSshShell _shell = new();
    private readonly SlurmRestScheduler _rest;

    public SlurmRestSchedulerTests() => _rest = new SlurmRestScheduler(_http, RestCluster());

    private static ClusterSettings RestCluster()
    {
        var c = Cluster();
        c.Scheduler.ConnectionMode = SchedulerConnectionMode.Rest;
        c.Scheduler.ApiUrl = TestCluster.Current["SLURMRESTD_URL"];
        c.Scheduler.ApiVersion = "0.0.38";
        c.Scheduler.JwtKeyFile = TestCluster.Current["SLURM_JWT_KEY"];
        return c;
    }

    public void Dispose()
    {
        _http.Dispose();
        _shell.Dispose();
    }

    [Fact]
    public async Task Submit_get_and_finish_over_slurmrestd()
    {
        var name = UniqueName("rest");
        var job = Script(name, "exit 3");
        job.Env = new() { ["F7T_TEST"] = "a b" };
        var id = await _rest.SubmitJobAsync(FireUser, job, CancellationToken.None);
        Assert.Matches("^[0-9]+$", id);

        var done = await WaitForFinalAsync(_rest, FireUser, id);
        Assert.Equal("FAILED", done.Status.State);
        Assert.Equal(3, done.Status.ExitCode);
        Assert.Equal(name, done.Name);
        Assert.Equal(FireUser.Username, done.User);
        Assert.Equal("/tmp", done.WorkingDirectory);

        var listed = await PollAsync(() => _rest.GetJobsAsync(FireUser, new JobQuery(Name: name, TimeWindow: "1h"), CancellationToken.None), l => l.Count > 0);
        Assert.Equal(id, Assert.Single(listed).JobId);
    }

    [Fact]
    public async Task Cancel_over_slurmrestd_gives_cancelled()
    {
        var id = await _rest.SubmitJobAsync(FireUser, Script(UniqueName("restc"), "sleep 120"), CancellationToken.None);
        await WaitForAsync(_rest, FireUser, id, _ => true);
        await _rest.CancelJobAsync(FireUser, id, CancellationToken.None);
        var done = await WaitForFinalAsync(_rest, FireUser, id);
        Assert.Equal(JobState.Cancelled, done.State);
    }

    [Fact]
    public async Task Unknown_job_is_empty_and_metadata_is_not_implemented_in_rest_only_mode()
    {
        Assert.Empty(await _rest.GetJobAsync(FireUser, "987654", CancellationToken.None));
        var ex = await Assert.ThrowsAnyAsync<HpcException>(() => _rest.GetJobMetadataAsync(FireUser, "1", CancellationToken.None));
        Assert.Equal(HpcErrorKind.NotImplemented, ex.Kind);
    }

    [Fact]
    public async Task Nodes_partitions_accounts_and_ping_over_slurmrestd()
    {
        var node = Assert.Single(await _rest.GetNodesAsync(FireUser, CancellationToken.None));
        Assert.Equal("localhost", node.Name);
        Assert.Equal(8, node.Cpus);
        Assert.Equal(["debug", "long"], (await _rest.GetPartitionsAsync(FireUser, false, CancellationToken.None)).Select(p => p.Name).Order());
        var accounts = await _rest.GetAccountsAsync(FireUser, CancellationToken.None);
        Assert.Equal(["hpcproj", "hpcproj2"], accounts!.Select(a => a.Name).Order());
        var (healthy, message) = await _rest.PingAsync(FireUser, CancellationToken.None);
        Assert.True(healthy, message);
    }

    [Fact]
    public async Task Hybrid_submits_over_rest_and_reads_metadata_over_ssh()
    {
        var hybrid = new SlurmHybridScheduler(_rest, new SlurmCliScheduler(_shell, Cluster()));
        var job = Script(UniqueName("hyb"), "sleep 2");
        var id = await hybrid.SubmitJobAsync(FireUser, job, CancellationToken.None);
        var meta = Assert.Single(await hybrid.GetJobMetadataAsync(FireUser, id, CancellationToken.None));
        Assert.Equal(job.Script, meta.Script);
        await WaitForFinalAsync(hybrid, FireUser, id);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(keyFile, new byte[32]);
            var c = RestCluster();
            c.Scheduler.JwtKeyFile = keyFile;
            var bad = new SlurmRestScheduler(_http, c);
            var ex = await Assert.ThrowsAnyAsync<HpcException>(() => bad.GetNodesAsync(FireUser, CancellationToken.None));
            Assert.Contains(ex.Kind, new[] { HpcErrorKind.Unauthenticated, HpcErrorKind.PermissionDenied, HpcErrorKind.Internal });
        }
        finally { File.Delete(keyFile); }
    }
}
