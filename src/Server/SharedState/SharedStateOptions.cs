namespace Firecrest.Server.SharedState;

/// <summary>
/// Where replicas keep what they share (configuration section <c>Server</c>): nothing (one process, the default) or a
/// Redis connection string.
/// </summary>
public sealed class SharedStateOptions
{
    /// <summary>
    /// StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>); empty keeps idempotency keys, rate limits and
    /// MCP batch runs in this process. Also read from the environment as <c>Server__Redis</c>.
    /// </summary>
    public string? Redis { get; set; }
}
