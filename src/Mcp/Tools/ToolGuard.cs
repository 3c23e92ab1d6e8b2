using Firecrest.Core;
using Firecrest.Core.Models;
using ModelContextProtocol;

namespace Firecrest.Mcp.Tools;

/// <summary>Checks a tool's system and paths against <see cref="McpToolOptions"/> before anything runs.</summary>
public sealed class ToolGuard(McpToolOptions options)
{
    /// <summary>The options being enforced.</summary>
    public McpToolOptions Options { get; } = options;

    /// <summary>True when the system may be used.</summary>
    public bool IsSystemAllowed(string system) =>
        Options.AllowedSystems.Count == 0 || Options.AllowedSystems.Contains(system, StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws when <paramref name="system"/> is empty or not allowed.</summary>
    public string System(string system)
    {
        if (string.IsNullOrWhiteSpace(system))
            throw new McpException("The 'system' argument is empty. Call list_systems to see the system names you can use.");
        if (!IsSystemAllowed(system))
            throw new McpException($"System '{system}' is not allowed for this MCP server. Allowed systems: {string.Join(", ", Options.AllowedSystems)}.");
        return system;
    }

    /// <summary>
    /// The tool's <paramref name="path"/> argument as a <see cref="RemotePath"/>; throws when it is not an absolute normal
    /// path or lies outside the allowed prefixes.
    /// </summary>
    public RemotePath Path(string? path, string argument = "path")
    {
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
            throw new McpException($"The '{argument}' argument must be an absolute path on the cluster (starting with '/'), e.g. the home directory from get_user_info or a file system from get_system_status.");
        if (!RemotePath.TryParse(path, out var remote, out var problem))
            throw new McpException($"The '{argument}' argument is not usable: {problem}; give the full absolute path without '.', '..' or '//'.");
        if (Options.AllowedPathPrefixes.Count > 0 && !Options.AllowedPathPrefixes.Any(p => IsUnder(remote.Value, p)))
            throw new McpException($"Path '{path}' is outside the paths this MCP server may touch. Allowed prefixes: {string.Join(", ", Options.AllowedPathPrefixes)}.");
        return remote;
    }

    /// <summary>Parses a tool's <c>job_id</c> argument; throws a message that says where job ids come from.</summary>
    public static JobId JobId(string jobId, string argument = "job_id") =>
        Core.Models.JobId.TryParse(jobId, out var id)
            ? id
            : throw new McpException($"The '{argument}' argument '{jobId}' is not a job id. Job ids look like '12345' (array element '12345_1'); submit_job and list_jobs return them.");

    private static bool IsUnder(string path, string prefix)
    {
        var p = prefix.TrimEnd('/');
        return p.Length == 0 || path == p || path.StartsWith(p + "/", StringComparison.Ordinal);
    }
}
