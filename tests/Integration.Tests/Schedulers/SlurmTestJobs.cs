using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Schedulers;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Schedulers;

/// <summary>Helpers for scheduler tests against the local Slurm: users, cluster settings, unique names, polling.</summary>
internal static class SlurmTestJobs
{
    public static UserIdentity FireUser => new(TestCluster.Current["SSH_USER"]);
    public static UserIdentity FireUser2 => new(TestCluster.Current["SSH_USER2"]);

    public static ClusterSettings Cluster() => new()
    {
        Name = "cluster",
        Scheduler = new SchedulerSettings { Type = SchedulerType.Slurm, Version = "22.05.8" },
    };

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static JobDescription Script(string name, string body, string? dependency = null) => new()
    {
        Name = name,
        WorkingDirectory = "/tmp",
        StandardOutput = "/dev/null",
        Script = "#!/bin/bash\n" + body + "\n",
        Dependency = dependency,
    };

    /// <summary>Polls GetJob until <paramref name="done"/> holds (short sleeps, a generous deadline); returns the last job seen.</summary>
    public static async Task<Job> WaitForAsync(IScheduler scheduler, UserIdentity user, string id, Func<Job, bool> done, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(60));
        Job? last = null;
        while (true)
        {
            var jobs = await scheduler.GetJobAsync(user, id, cts.Token);
            last = jobs.FirstOrDefault() ?? last;
            if (last is not null && done(last)) return last;
            try { await Task.Delay(300, cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"job {id} did not reach the expected state; last seen: {last?.Status.State} reason {last?.Status.StateReason}");
            }
        }
    }

    /// <summary>Polls <paramref name="query"/> until <paramref name="done"/> holds or 30 s pass; returns the last answer.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> query, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await query();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(300);
        }
    }

    public static Task<Job> WaitForFinalAsync(IScheduler scheduler, UserIdentity user, string id, TimeSpan? deadline = null) =>
        WaitForAsync(scheduler, user, id, j => JobStates.IsFinal(j.State), deadline);
}
