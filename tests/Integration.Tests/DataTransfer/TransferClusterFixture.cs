using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.DataTransfer;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.DataTransfer;

/// <summary>
/// The real local cluster for the data-mover tests: SSH, Slurm (the engine's <see cref="SlurmCliScheduler"/>) and
/// s3rver. Each test works in its own directory under /home/&lt;user&gt;/f7t-it-*; files, job logs, S3 objects and (when
/// empty) the user buckets are removed at the end.
/// </summary>
public sealed class TransferClusterFixture : IAsyncLifetime
{
    public const string Prefix = "f7t-it-";
    public static readonly UserIdentity User = new("fireuser");
    public static readonly UserIdentity User2 = new("fireuser2");

    private readonly List<(UserIdentity User, string Dir)> _dirs = [];
    private readonly List<(UserIdentity User, string Path)> _logFiles = [];

    public TestCluster Cluster { get; } = TestCluster.Current;

    public DirectSshShell Shell { get; } = new();

    public SlurmCliScheduler Scheduler { get; private set; } = null!;

    public string System => "cluster";

    public ClusterSettings Settings(int ttl = 3600, long maxPartSize = 5 * 1024 * 1024, bool useSplit = false, int parallelRuns = 2) => new()
    {
        Name = System,
        FileSystems =
        [
            new FileSystemSettings { Path = "/home", DataType = FileSystemDataType.Users, DefaultWorkDir = true },
            new FileSystemSettings { Path = Cluster.Get("SCRATCH_DIR") ?? "/scratch", DataType = FileSystemDataType.Scratch },
        ],
        DataOperation = new DataOperationSettings
        {
            DatatransferJobsDirectives = ["#SBATCH --nodes=1", "#SBATCH --account={account}", "#SBATCH --time=00:10:00"],
            DataTransfer = new DataTransferSettings
            {
                ServiceType = TransferMethod.S3,
                PrivateUrl = Cluster["S3_URL"],
                PublicUrl = Cluster["S3_URL"],
                AccessKeyId = Cluster["S3_ACCESS_KEY"],
                SecretAccessKey = Cluster["S3_SECRET_KEY"],
                Region = Cluster.Get("S3_REGION") ?? "us-east-1",
                Ttl = ttl,
                Multipart = new MultipartSettings { MaxPartSize = maxPartSize, ParallelRuns = parallelRuns, TmpFolder = "tmp", UseSplit = useSplit },
            },
        },
    };

    /// <summary>
    /// Waits through the real scheduler until the transfer job reaches a final state or the deadline passes; returns
    /// the state and "exit:signal". The job's log files are removed at the end.
    /// </summary>
    public async Task<(JobState State, string ExitCode)> WaitForJobAsync(UserIdentity user, TransferJob job, TimeSpan deadline, CancellationToken ct = default)
    {
        lock (_logFiles)
        {
            _logFiles.Add((user, job.Logs.OutputLog));
            _logFiles.Add((user, job.Logs.ErrorLog));
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(deadline);
        Job? last = null;
        try
        {
            while (true)
            {
                last = (await Scheduler.GetJobAsync(user, job.JobId, cts.Token)).FirstOrDefault(j => j.JobId == job.JobId);
                if (last is not null && JobStates.IsFinal(last.State))
                    return (last.State, $"{last.Status.ExitCode}:{last.Status.InterruptSignal}");
                await Task.Delay(1000, cts.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"job {job.JobId} did not finish within {deadline}; last state: '{last?.Status.State}'");
        }
    }

    public TransferService Service(int ttl = 3600, bool useSplit = false, int parallelRuns = 2) =>
        new(Settings(ttl, useSplit: useSplit, parallelRuns: parallelRuns), Scheduler, Shell, new S3ClientFactory()) { IngressPollInterval = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// Waits until s3rver holds each part of the upload that <paramref name="partsUploadUrls"/> belong to on its disk,
    /// with the length in <paramref name="sizes"/>: it answers a part's PUT before the part's file is written out, and a
    /// Complete sent before then joins a short part.
    /// </summary>
    public async Task WaitForStoredPartsAsync(IReadOnlyList<string> partsUploadUrls, IReadOnlyList<long> sizes, CancellationToken ct)
    {
        var query = new Uri(partsUploadUrls[0]).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var uploadId = query["uploadId"];
        string? dir = null;
        while (true)
        {
            dir ??= Directory.EnumerateDirectories(Cluster["S3_DATA_DIR"], uploadId, SearchOption.AllDirectories).FirstOrDefault();
            if (dir is not null && sizes.Select((size, i) => new FileInfo(Path.Combine(dir, (i + 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture))) is { Exists: true } part && part.Length == size).All(stored => stored))
                return;
            await Task.Delay(20, ct);
        }
    }

    public IAmazonS3 S3Admin() => new S3ClientFactory().Create(Settings().DataOperation.DataTransfer!, new Uri(Cluster["S3_URL"]));

    /// <summary>Creates a fresh test directory for <paramref name="user"/>; removed at the end.</summary>
    public async Task<string> NewDirectoryAsync(UserIdentity user, string? suffix = null)
    {
        var dir = $"/home/{user.Username}/{Prefix}{Guid.NewGuid():N}{suffix}";
        await RunOkAsync(user, $"mkdir -p -- {ShellQuote.Quote(dir)}");
        lock (_dirs) _dirs.Add((user, dir));
        return dir;
    }

    /// <summary>Runs a command; fails the test on a non-zero exit.</summary>
    public async Task<string> RunOkAsync(UserIdentity user, string commandLine)
    {
        var r = await Shell.RunAsync(System, user, new RemoteCommand(commandLine) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);
        Assert.True(r.ExitStatus == 0, $"`{commandLine}` exited {r.ExitStatus}: {r.Stderr}");
        return r.Stdout;
    }

    public async Task<RemoteCommandResult> RunAsync(UserIdentity user, string commandLine) =>
        await Shell.RunAsync(System, user, new RemoteCommand(commandLine) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    public async Task<string> Sha256Async(UserIdentity user, string path) =>
        (await RunOkAsync(user, $"sha256sum -- {ShellQuote.Quote(path)}")).Split(' ')[0].TrimStart('\\');

    public Task InitializeAsync()
    {
        var demo = FirecrestConfigLoader.Load(Cluster.ConfigPath).Settings.Clusters[0];
        Scheduler = new SlurmCliScheduler(Shell, new ClusterSettings { Name = System, Scheduler = demo.Scheduler });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var (user, dir) in _dirs)
            await RunAsync(user, $"rm -rf -- {ShellQuote.Quote(dir)}");
        foreach (var group in _logFiles.GroupBy(l => l.User.Username))
            await RunAsync(group.First().User, "rm -f -- " + ShellQuote.Join(group.Select(l => l.Path)) + "; rmdir ~/tmp 2>/dev/null; true");
        using var s3 = S3Admin();
        foreach (var bucket in new[] { User.Username, User2.Username })
        {
            try
            {
                var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
                foreach (var o in list.S3Objects ?? [])
                    if (o.Key.Contains("/" + Prefix, StringComparison.Ordinal))
                        await s3.DeleteObjectAsync(bucket, o.Key);
                // The bucket stays: other test classes stage objects in it at the same time.
            }
            catch (AmazonS3Exception)
            {
                // bucket absent, or not empty because someone else uses it: leave it
            }
        }
        Shell.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TransferClusterCollection : ICollectionFixture<TransferClusterFixture>
{
    public const string Name = "DataTransfer cluster";
}
