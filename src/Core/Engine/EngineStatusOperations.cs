using Firecrest.Core.Configuration;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Engine;

/// <summary>Status operations of the engine for one user.</summary>
internal sealed class EngineStatusOperations(FirecrestEngine engine, UserIdentity user) : IStatusOperations
{
    public Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<HpcSystem> list = engine.Settings.Clusters.Select(Describe).ToList();
        return Task.FromResult(list);
    }

    public Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.GetNodesAsync(user, cancellationToken);

    public Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.GetPartitionsAsync(user, showHidden, cancellationToken);

    public Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default) =>
        engine.GetSystem(system).Scheduler.GetReservationsAsync(user, cancellationToken);

    public async Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default)
    {
        var s = engine.GetSystem(system);
        var idTask = s.Files.GetUserInfoAsync(user, cancellationToken);
        var accountsTask = s.Scheduler.GetAccountsAsync(user, cancellationToken);
        var info = await idTask.ConfigureAwait(false);
        var accounts = await accountsTask.ConfigureAwait(false);
        info.Accounts = accounts?.ToList();
        return info;
    }

    private HpcSystem Describe(ClusterSettings c)
    {
        var health = engine.Health.GetResults(c.Name);
        return new HpcSystem
        {
            Name = c.Name,
            Scheduler = new HpcSystemScheduler
            {
                Type = c.Scheduler.Type.ToString().ToLowerInvariant(),
                ConnectionMode = c.Scheduler.ConnectionMode.ToString().ToLowerInvariant(),
                Version = c.Scheduler.Version,
                ApiUrl = c.Scheduler.ApiUrl,
                ApiVersion = c.Scheduler.ApiVersion,
                Timeout = c.Scheduler.Timeout,
            },
            ServicesHealth = health?.ToList(),
            LastHealthCheck = engine.Health.LastRuns.TryGetValue(c.Name, out var t) ? t : null,
            FileSystems = c.FileSystems.Select(f => new HpcFileSystem { Path = f.Path, DataType = f.DataType, DefaultWorkDir = f.DefaultWorkDir }).ToList(),
            DataOperation = new HpcDataOperation
            {
                MaxOpsFileSize = c.DataOperation.MaxOpsFileSize,
                DataTransfer = c.DataOperation.DataTransfer is { } dt ? new HpcDataTransfer { ServiceType = dt.ServiceType } : null,
            },
        };
    }
}
