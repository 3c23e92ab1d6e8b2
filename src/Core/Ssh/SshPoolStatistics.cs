namespace Firecrest.Core.Ssh;

/// <summary>A snapshot of one system's pool, for the metrics collector.</summary>
internal sealed record SshPoolStatistics(string System, int Connections, int ChannelsInUse, long Reconnects);
