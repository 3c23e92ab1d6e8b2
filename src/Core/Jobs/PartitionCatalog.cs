using System.Text.Json;
using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>
/// Partitions with as much as the operations can tell: with the engine their limits and default flag; through a
/// FirecREST v2 server only what its wire model carries (name, state, node and CPU counts; limits and default null).
/// </summary>
public static class PartitionCatalog
{
    /// <summary>The partitions of <paramref name="system"/>.</summary>
    public static async Task<IReadOnlyList<PartitionDetails>> ListAsync(IHpcOperations operations, string system, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations is ISchedulerOperations scheduler)
        {
            try
            {
                return await scheduler.GetPartitionDetailsAsync(system, cancellationToken).ConfigureAwait(false);
            }
            catch (HpcException e) when (e.Kind == HpcErrorKind.NotImplemented)
            {
                // this scheduler has no limits to offer: fall back to the wire model
            }
        }
        var partitions = await operations.Status.GetPartitionsAsync(system, cancellationToken: cancellationToken).ConfigureAwait(false);
        return partitions.Select(p => new PartitionDetails(p.Name, StateText(p.PartitionState), false, null, null, p.TotalNodes, p.Cpus, null, null)).ToList();
    }

    /// <summary>The wire model's state (a string, or a list of strings from slurmrestd) as one text.</summary>
    public static string? StateText(object? state) => state switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Array } e => string.Join(",", e.EnumerateArray().Select(x => x.ToString())),
        IEnumerable<string> list => string.Join(",", list),
        System.Collections.IEnumerable list => string.Join(",", list.Cast<object>()),
        _ => state.ToString(),
    };
}
