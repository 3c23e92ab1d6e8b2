using System.ComponentModel;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp.Tools;

/// <summary>What compute nodes have and what is free.</summary>
[McpServerToolType]
public sealed class NodesTools(IHpcOperationsAccessor operations, ToolGuard guard)
{
    /// <summary>Result of <c>list_nodes</c>.</summary>
    /// <param name="Items">Each node: state, partitions, CPUs total/allocated/idle, memory, GPUs total/used, gres.</param>
    /// <param name="CpusTotal">CPUs of the listed nodes.</param>
    /// <param name="CpusIdle">CPUs free on them.</param>
    /// <param name="GpusTotal">GPUs of the listed nodes.</param>
    /// <param name="GpusFree">GPUs not in use.</param>
    public sealed record NodeList(IReadOnlyList<NodeResources> Items, int CpusTotal, int CpusIdle, int GpusTotal, int GpusFree);

    [EngineOnly]
    [McpServerTool(Name = "list_nodes", Title = "List compute nodes with free CPUs and GPUs", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(NodeList))]
    [Description("Lists the compute nodes of a system with their state and partitions, CPUs (total, allocated, idle), memory and GPUs (total and in use, from gres). " +
        "Use it to see whether a job asking for CPUs or GPUs can start soon. Not available through a FirecREST server in remote mode (not part of the FirecREST v2 API).")]
    public async Task<CallToolResult> ListNodes(
        [Description("System name from list_systems.")] string system,
        [Description("Optional: only nodes of this partition.")] string? partition = null,
        CancellationToken cancellationToken = default)
    {
        guard.System(system);
        var nodes = await SchedulerOperations.Of(operations.Get(), "Node resources").GetNodeResourcesAsync(system, cancellationToken);
        var kept = string.IsNullOrWhiteSpace(partition) ? nodes : nodes.Where(n => n.Partitions.Contains(partition, StringComparer.Ordinal)).ToList();
        var result = new NodeList(kept, kept.Sum(n => n.CpusTotal ?? 0), kept.Sum(n => n.CpusIdle ?? 0), kept.Sum(n => n.GpusTotal), kept.Sum(n => Math.Max(0, n.GpusTotal - n.GpusUsed)));
        var text = $"{kept.Count} node(s) on {system}{(string.IsNullOrWhiteSpace(partition) ? "" : $" in {partition}")}: {result.CpusIdle}/{result.CpusTotal} CPUs idle, " +
                   $"{result.GpusFree}/{result.GpusTotal} GPUs free. " + string.Join("; ", kept.Take(20).Select(n => $"{n.Name} {n.State} {n.CpusIdle}/{n.CpusTotal} CPUs"));
        return ToolResults.Of(result, text);
    }
}
