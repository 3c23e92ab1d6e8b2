using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Batch;

/// <summary>Batch runs against the real local Slurm cluster through the direct engine as fireuser.</summary>
public sealed class BatchRunnerClusterTests(DirectEngine engine) : IClassFixture<DirectEngine>, IAsyncLifetime
{
    private readonly string _local = Path.Combine(Path.GetTempPath(), "batch-it-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _remote = "/home/fireuser/batch-it-" + Guid.NewGuid().ToString("N")[..8];
    private readonly IHpcOperations _ops = engine.Fireuser;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_local);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        try { await _ops.Files.RemoveAsync("cluster", RemotePath.Parse(_remote)); } catch (HpcException) { }
        try { Directory.Delete(_local, recursive: true); } catch (IOException) { }
    }

    private BatchDefinition Diamond(string bScript = "cat in.txt > b.txt", string extraB = "")
    {
        File.WriteAllText(Path.Combine(_local, "in.txt"), "hello batch\n");
        return BatchFile.Load(WriteRunFile($"""
            system: cluster
            defaults:
              account: {TestCluster.Current["SLURM_ACCOUNT"]}
              partition: debug
              workingDirectory: {_remote}
              resources: {"{"}nodes: 1, tasks: 1, time: "2"{"}"}
            jobs:
              A:
                script: |
                  tr a-z A-Z < in.txt > a.txt
                inputs:
                  in.txt: in.txt
              B:
                script: |
                  {bScript}
                dependsOn: [A]
            {extraB}
              C:
                script: cat a.txt > c.txt
                dependsOn: [A]
              D:
                script: cat a.txt c.txt > d.txt
                dependsOn: [B, C]
                outputs:
                  d.txt: out/d.txt
            """));
    }

    private string WriteRunFile(string text)
    {
        var path = Path.Combine(_local, "run.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static BatchRunnerOptions Options(bool resume = false) =>
        new() { Resume = resume, PollInterval = TimeSpan.FromMilliseconds(500), MaxPollInterval = TimeSpan.FromSeconds(2) };

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;

    [Fact]
    public async Task Diamond_completes_and_its_output_is_downloaded()
    {
        var report = await new BatchRunner(_ops, Options()).RunAsync(Diamond(), null, Deadline());

        Assert.True(report.Succeeded, report.ToTable());
        Assert.All(report.Jobs, j => Assert.Equal(JobState.Completed, j.State));
        Assert.Equal("HELLO BATCH\nHELLO BATCH\n", await File.ReadAllTextAsync(Path.Combine(_local, "out", "d.txt")));
        Assert.True(File.Exists(Path.Combine(_local, "run.yaml.state.json")));
    }

    [Fact]
    public async Task Failing_B_skips_D_while_C_completes()
    {
        var report = await new BatchRunner(_ops, Options()).RunAsync(Diamond(bScript: "exit 3"), null, Deadline());

        Assert.Equal(BatchJobStatus.Failed, report["B"].Status);
        Assert.Equal(3, report["B"].ExitCode);
        Assert.Equal(BatchJobStatus.Completed, report["C"].Status);
        Assert.Equal(BatchJobStatus.Skipped, report["D"].Status);
        Assert.False(File.Exists(Path.Combine(_local, "out", "d.txt")));
        var d = (await _ops.Compute.GetJobAsync("cluster", JobId.Parse(report["D"].JobId))).Last();
        Assert.Equal(JobState.Cancelled, d.State);
    }

    [Fact]
    public async Task Interrupted_run_resumes_without_resubmitting_finished_jobs()
    {
        var def = Diamond(bScript: "sleep 3; cat in.txt > b.txt");
        var counting = new CountingOperations(_ops);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Deadline());
        var progress = new SyncProgress(p => { if (p.Job == "A" && p.Status == BatchJobStatus.Completed) cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BatchRunner(counting, Options()).RunAsync(def, progress, cts.Token));
        Assert.Equal(1, counting.Submits("A"));
        var firstIds = counting.Ids.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());

        var report = await new BatchRunner(counting, Options(resume: true)).RunAsync(def, null, Deadline());

        Assert.True(report.Succeeded, report.ToTable());
        Assert.Equal(1, counting.Submits("A"));
        foreach (var (name, ids) in firstIds) Assert.Equal(ids, counting.Ids[name]); // re-attached, not resubmitted
        Assert.Equal(4, counting.Ids.Values.Sum(v => v.Count));
        Assert.True(File.Exists(Path.Combine(_local, "out", "d.txt")));
    }

    [Fact]
    public async Task Job_that_fails_once_succeeds_on_retry()
    {
        var script = "if [ -e marker ]; then cat in.txt > b.txt; else touch marker; exit 1; fi";
        var report = await new BatchRunner(_ops, Options()).RunAsync(Diamond(bScript: script, extraB: "    retries: 1"), null, Deadline());

        Assert.True(report.Succeeded, report.ToTable());
        Assert.Equal(2, report["B"].Attempts);
        Assert.Equal(2, report["B"].JobIds.Distinct().Count());
        var first = (await _ops.Compute.GetJobAsync("cluster", JobId.Parse(report["B"].JobIds[0]))).Last();
        Assert.Equal(JobState.Failed, first.State);
    }

    private sealed class SyncProgress(Action<BatchProgress> action) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => action(value);
    }

    /// <summary>Passes everything through and records the ids submitted per job name.</summary>
    private sealed class CountingOperations(IHpcOperations inner) : IHpcOperations, IComputeOperations
    {
        public Dictionary<string, List<string>> Ids { get; } = [];
        public int Submits(string name) => Ids.GetValueOrDefault(name)?.Count ?? 0;
        public IStatusOperations Status => inner.Status;
        public IComputeOperations Compute => this;
        public IFilesystemOperations Files => inner.Files;
        public ITransferOperations Transfers => inner.Transfers;

        public async Task<string> SubmitJobAsync(string system, JobDescription job, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            var id = await inner.Compute.SubmitJobAsync(system, job, idempotencyKey, cancellationToken);
            (Ids.TryGetValue(job.Name!, out var list) ? list : Ids[job.Name!] = []).Add(id);
            return id;
        }

        public Task<IReadOnlyList<Job>> GetJobsAsync(string system, JobQuery? query = null, CancellationToken cancellationToken = default) => inner.Compute.GetJobsAsync(system, query, cancellationToken);
        public Task<IReadOnlyList<Job>> GetJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) => inner.Compute.GetJobAsync(system, jobId, cancellationToken);
        public Task<IReadOnlyList<JobMetadata>> GetJobMetadataAsync(string system, JobId jobId, CancellationToken cancellationToken = default) => inner.Compute.GetJobMetadataAsync(system, jobId, cancellationToken);
        public Task AttachAsync(string system, JobId jobId, string command, CancellationToken cancellationToken = default) => inner.Compute.AttachAsync(system, jobId, command, cancellationToken);
        public Task CancelJobAsync(string system, JobId jobId, CancellationToken cancellationToken = default) => inner.Compute.CancelJobAsync(system, jobId, cancellationToken);
    }
}
