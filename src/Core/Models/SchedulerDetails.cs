namespace Firecrest.Core.Models;

/// <summary>A partition with its limits (beyond the wire model <see cref="Partition"/>).</summary>
/// <param name="Name">Partition name.</param>
/// <param name="State">State, e.g. <c>UP</c>, <c>DOWN</c>, <c>DRAIN</c>.</param>
/// <param name="IsDefault">True for the partition jobs go to when none is given.</param>
/// <param name="MaxTimeSeconds">Longest run time a job may ask for; null when unlimited.</param>
/// <param name="DefaultTimeSeconds">Run time a job gets when it asks for none; null when the maximum applies.</param>
/// <param name="TotalNodes">Nodes in the partition.</param>
/// <param name="TotalCpus">CPUs in the partition.</param>
/// <param name="MaxNodesPerJob">Most nodes one job may ask for; null when unlimited.</param>
/// <param name="Nodes">The partition's node list.</param>
public sealed record PartitionDetails(string Name, string? State, bool IsDefault, long? MaxTimeSeconds, long? DefaultTimeSeconds,
    int? TotalNodes, int? TotalCpus, int? MaxNodesPerJob, string? Nodes);

/// <summary>What one compute node has and what is free.</summary>
/// <param name="Name">Node name.</param>
/// <param name="State">State, e.g. <c>idle</c>, <c>mixed</c>, <c>allocated</c>, <c>down</c>.</param>
/// <param name="Partitions">Partitions the node belongs to.</param>
/// <param name="CpusTotal">CPUs.</param>
/// <param name="CpusAllocated">CPUs in use by jobs.</param>
/// <param name="CpusIdle">CPUs free for jobs.</param>
/// <param name="MemoryTotalMb">Memory in MB.</param>
/// <param name="MemoryAllocatedMb">Memory allocated to jobs, MB.</param>
/// <param name="GpusTotal">GPUs (gres <c>gpu</c>).</param>
/// <param name="GpusUsed">GPUs in use.</param>
/// <param name="Gres">The node's generic resources as the scheduler lists them (null when none).</param>
public sealed record NodeResources(string Name, string? State, IReadOnlyList<string> Partitions, int? CpusTotal, int? CpusAllocated, int? CpusIdle,
    long? MemoryTotalMb, long? MemoryAllocatedMb, int GpusTotal, int GpusUsed, string? Gres);

/// <summary>What accounting recorded about a job's use of resources.</summary>
/// <param name="JobId">Job id.</param>
/// <param name="State">Raw state.</param>
/// <param name="ElapsedSeconds">Run time so far or in total.</param>
/// <param name="TimeLimitSeconds">Time limit; null when unlimited.</param>
/// <param name="AllocatedCpus">CPUs allocated.</param>
/// <param name="AllocatedNodes">Nodes allocated.</param>
/// <param name="CpuTimeSeconds">CPU time used (user + system) of all steps; null when not gathered.</param>
/// <param name="MaxRssBytes">Largest resident memory of any task; null when not gathered.</param>
/// <param name="RequestedMemory">Memory requested, as the scheduler writes it (e.g. <c>4G</c>).</param>
/// <param name="AllocatedTres">Trackable resources allocated (e.g. <c>cpu=4,mem=8G,node=1,gres/gpu=1</c>).</param>
public sealed record JobAccounting(string JobId, string? State, long? ElapsedSeconds, long? TimeLimitSeconds, int? AllocatedCpus, int? AllocatedNodes,
    long? CpuTimeSeconds, long? MaxRssBytes, string? RequestedMemory, string? AllocatedTres)
{
    /// <summary>CPU time used over CPU time allocated (elapsed × CPUs), 0–1; null when unknown.</summary>
    public double? CpuEfficiency => CpuTimeSeconds is { } used && ElapsedSeconds is > 0 && AllocatedCpus is > 0
        ? Math.Round((double)used / (ElapsedSeconds.Value * AllocatedCpus.Value), 3) : null;

    /// <summary>Elapsed time over the time limit, 0–1; null when unlimited.</summary>
    public double? TimeLimitUsed => ElapsedSeconds is { } e && TimeLimitSeconds is > 0 ? Math.Round((double)e / TimeLimitSeconds.Value, 3) : null;
}
