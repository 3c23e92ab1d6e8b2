namespace Firecrest.Core.Schedulers;

/// <summary>What the scheduler adapters' listing commands (queue, accounting, nodes, partitions) may return.</summary>
public static class SchedulerListing
{
    /// <summary>
    /// Output limit in bytes of a listing command. A user's jobs over the accounting window, or the nodes of a large
    /// cluster, easily exceed max_ops_file_size, which bounds file contents (the default limit of a remote command);
    /// 64 MiB holds about 450,000 sacct rows.
    /// </summary>
    public const long OutputLimit = 64L * 1024 * 1024;
}
