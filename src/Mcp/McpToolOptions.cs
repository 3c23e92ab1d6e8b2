namespace Firecrest.Mcp;

/// <summary>Safety limits of the MCP tools (the same for stdio and HTTP).</summary>
public sealed class McpToolOptions
{
    /// <summary>Expose only the tools that never change anything.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Systems the tools may touch; empty means every system.</summary>
    public List<string> AllowedSystems { get; set; } = [];

    /// <summary>Absolute path prefixes the file tools may touch; empty means every path.</summary>
    public List<string> AllowedPathPrefixes { get; set; } = [];

    /// <summary>Most bytes of file or job output a tool returns at once.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>Most bytes <c>write_file</c> accepts.</summary>
    public int MaxWriteBytes { get; set; } = 1024 * 1024;

    /// <summary>Register the <c>run_command</c> tool (an arbitrary shell command as a job). Off unless enabled.</summary>
    public bool AllowCommands { get; set; }

    /// <summary>Register the tools that read and write files on the agent's own machine (stdio only).</summary>
    public bool LocalFiles { get; set; }

    /// <summary>
    /// Register the tools that need the in-process engine (hold/release, node resources); off in stdio remote mode,
    /// where a FirecREST v2 server offers no such routes.
    /// </summary>
    public bool EngineFeatures { get; set; } = true;

    /// <summary>Limits of the batch runs kept for <c>get_batch_status</c> (number of runs, how long finished runs stay).</summary>
    public Core.Batch.BatchRunStoreOptions BatchRuns { get; set; } = new();
}
