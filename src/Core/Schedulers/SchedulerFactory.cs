using Firecrest.Core.Configuration;
using Firecrest.Core.Schedulers.Pbs;
using Firecrest.Core.Schedulers.Slurm;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Schedulers;

/// <summary>Picks the scheduler adapter a system's configuration asks for.</summary>
public static class SchedulerFactory
{
    /// <summary>
    /// Slurm over SSH, over slurmrestd, or hybrid (REST with SSH for script paths and metadata); PBS over SSH.
    /// <paramref name="http"/> is used for slurmrestd and must stay alive as long as the adapter.
    /// </summary>
    public static IScheduler Create(ClusterSettings cluster, IRemoteShell shell, HttpClient http) => cluster.Scheduler.Type switch
    {
        SchedulerType.Pbs => new PbsCliScheduler(shell, cluster),
        _ => cluster.Scheduler.ConnectionMode switch
        {
            SchedulerConnectionMode.Rest => new SlurmRestScheduler(http, cluster),
            SchedulerConnectionMode.Hybrid => new SlurmHybridScheduler(new SlurmRestScheduler(http, cluster), new SlurmCliScheduler(shell, cluster)),
            _ => new SlurmCliScheduler(shell, cluster),
        },
    };
}
