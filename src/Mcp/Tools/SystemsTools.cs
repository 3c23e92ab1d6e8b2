using System.ComponentModel;
using Firecrest.Core.Jobs;
using Firecrest.Core.Json;
using Firecrest.Core.Models;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>What the HPC systems are and whether they work: systems, partitions, the user's accounts.</summary>
[McpServerToolType]
public sealed class SystemsTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    /// <summary>Result of <c>list_systems</c>.</summary>
    /// <param name="Name">System name to pass to the other tools.</param>
    /// <param name="Healthy">False when a service of the system (scheduler, SSH, file system) failed its last health check.</param>
    /// <param name="Scheduler">Scheduler type: slurm or pbs.</param>
    /// <param name="FileSystems">Mount paths of the file systems.</param>
    /// <param name="DefaultWorkDirectory">File system where transfer jobs run, if one is marked.</param>
    public sealed record SystemSummary(string Name, bool Healthy, string? Scheduler, IReadOnlyList<string> FileSystems, string? DefaultWorkDirectory);

    /// <summary>Result of <c>get_system_status</c>.</summary>
    /// <param name="System">The system with its services' health and file systems.</param>
    /// <param name="Nodes">Number of compute nodes.</param>
    /// <param name="NodesByState">Node count per scheduler state (idle, allocated, down, …).</param>
    public sealed record SystemStatus(HpcSystem System, int Nodes, IReadOnlyDictionary<string, int> NodesByState);

    [McpServerTool(Name = "list_systems", Title = "List systems", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ListResult<SystemSummary>))]
    [Description("Lists the HPC systems (clusters) you can use, with their health, batch scheduler and file systems. " +
        "An HPC system is a group of computers shared by many users: you do not run programs on it directly, you submit " +
        "batch jobs (submit_job) that a scheduler runs when resources are free. Call this first: every other tool needs a system name from here.")]
    public async Task<CallToolResult> ListSystems(CancellationToken cancellationToken)
    {
        var systems = await operations.Get().Status.GetSystemsAsync(cancellationToken);
        var list = systems.Where(s => guard.IsSystemAllowed(s.Name)).Select(s => new SystemSummary(
            s.Name, s.IsHealthy, s.Scheduler?.Type, s.FileSystems.Select(f => f.Path).ToList(),
            s.FileSystems.FirstOrDefault(f => f.DefaultWorkDir)?.Path)).ToArray();
        var text = list.Length == 0 ? "No systems are available."
            : $"{list.Length} system(s): " + string.Join("; ", list.Select(s => $"{s.Name} ({(s.Healthy ? "healthy" : "UNHEALTHY")}, {s.Scheduler ?? "no scheduler"})"));
        return ToolResults.List(list, text);
    }

    /// <summary>Health and nodes of one system.</summary>
    [McpServerTool(Name = "get_system_status", Title = "System status", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SystemStatus))]
    [Description("Shows whether one HPC system works right now: the health of its services (scheduler, SSH, file systems), " +
        "its file systems and how many compute nodes are idle, busy or down. Use it when jobs stay pending or tools fail with 'unavailable'.")]
    public async Task<CallToolResult> GetSystemStatus(
        [Description("System name from list_systems, e.g. 'daint'.")] string system,
        CancellationToken cancellationToken)
    {
        guard.System(system);
        var ops = operations.Get();
        var found = (await ops.Status.GetSystemsAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Name, system, StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelContextProtocol.McpException($"System '{system}' does not exist. Call list_systems for the names.");
        var nodes = await ops.Status.GetNodesAsync(found.Name, cancellationToken);
        var byState = nodes.SelectMany(n => n.State).GroupBy(s => s, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key.ToLowerInvariant(), g => g.Count());
        var unhealthy = found.ServicesHealth?.Where(h => !h.Healthy).Select(h => $"{WireNames.Of(h.ServiceType)}: {h.Message}").ToList() ?? [];
        var text = $"{found.Name}: {(found.IsHealthy ? "healthy" : "UNHEALTHY (" + string.Join("; ", unhealthy) + ")")}, {nodes.Count} node(s)" +
                   (byState.Count > 0 ? " [" + string.Join(", ", byState.Select(kv => $"{kv.Key} {kv.Value}")) + "]" : "");
        return ToolResults.Of(new SystemStatus(found, nodes.Count, byState), text);
    }

    /// <summary>Partitions of a system.</summary>
    [McpServerTool(Name = "list_partitions", Title = "List partitions", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ListResult<PartitionDetails>))]
    [Description("Lists the partitions (also called queues) of a system with their state (UP, DOWN, DRAIN), time limits in seconds (maximum and default; null when unlimited), " +
        "node and CPU counts and which one is the default. A partition is a group of compute nodes with its own limits. Pass a partition name to submit_job to choose where a job runs; " +
        "without one the default partition is used. Through a FirecREST server (remote mode) the limits and the default flag are not known (null, false).")]
    public async Task<CallToolResult> ListPartitions(
        [Description("System name from list_systems.")] string system,
        CancellationToken cancellationToken)
    {
        var partitions = await PartitionCatalog.ListAsync(operations.Get(), guard.System(system), cancellationToken);
        return ToolResults.List(partitions, $"{partitions.Count} partition(s) on {system}: " + string.Join(", ", partitions.Select(p =>
            $"{p.Name}{(p.IsDefault ? " (default)" : "")}{(p.State is null ? "" : " " + p.State)}, max time {(p.MaxTimeSeconds is { } t ? TimeSpan.FromSeconds(t).ToString() : "unlimited")}, {p.TotalNodes} node(s), {p.TotalCpus} CPUs")));
    }

    /// <summary>The user's identity on a system.</summary>
    [McpServerTool(Name = "get_user_info", Title = "User info", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(UserInfo))]
    [Description("Shows who you are on a system: the cluster user name, its groups and home directory. On clusters that charge " +
        "compute time, a job needs an account (project) you belong to; the groups are usually those accounts. Use the home directory as a place for job scripts and files.")]
    public async Task<CallToolResult> GetUserInfo(
        [Description("System name from list_systems.")] string system,
        CancellationToken cancellationToken)
    {
        var info = await operations.Get().Status.GetUserInfoAsync(guard.System(system), cancellationToken);
        var accounts = info.Accounts is { Count: > 0 } a ? string.Join(", ", a.Select(x => x.Default ? x.Name + " (default)" : x.Name)) : "none reported";
        return ToolResults.Of(info, $"On {system} you are '{info.User.Name}' (uid {info.User.Id}), group '{info.Group.Name}', groups: {string.Join(", ", info.Groups.Select(g => g.Name))}; accounts: {accounts}.");
    }
}
