namespace Firecrest.Core.Configuration;

/// <summary>The whole server configuration, as in the upstream <c>f7t-api-config.yaml</c> (top-level keys snake_case).</summary>
[SnakeCaseKeysOnly]
public sealed class FirecrestSettings
{
    /// <summary>FastAPI debug flag upstream; here it enables detailed error messages.</summary>
    public bool AppDebug { get; set; }

    /// <summary>Reverse-proxy prefix under which the API is served (<c>apis_root_path</c>).</summary>
    public string ApisRootPath { get; set; } = "";

    /// <summary>OpenAPI <c>servers</c> entries (<c>doc_servers</c>).</summary>
    public List<DocServer> DocServers { get; set; } = [];

    /// <summary>Token validation and optional OpenFGA authorisation.</summary>
    public AuthSettings Auth { get; set; } = new();

    /// <summary>How the engine obtains SSH credentials for a user.</summary>
    public SshCredentialsSettings SshCredentials { get; set; } = new();

    public LoggerSettings Logger { get; set; } = new();

    /// <summary>The HPC systems served.</summary>
    public List<ClusterSettings> Clusters { get; set; } = [];

    /// <summary>Returns the cluster named <paramref name="name"/> (case-insensitive), or null.</summary>
    public ClusterSettings? FindCluster(string name) =>
        Clusters.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One OpenAPI server entry.</summary>
public sealed class DocServer
{
    public string Url { get; set; } = "";

    public string? Description { get; set; }
}

/// <summary>Logging options (<c>logger</c>).</summary>
public sealed class LoggerSettings
{
    /// <summary>Upstream tracing log switch.</summary>
    public bool EnableTracingLog { get; set; }

    /// <summary>Request headers copied into the request log.</summary>
    public List<LoggableHeader> LoggableRequestHeaders { get; set; } = [];
}

/// <summary>A request header to log, and the name it is logged under.</summary>
public sealed class LoggableHeader
{
    /// <summary>Header name in the request.</summary>
    public string Input { get; set; } = "";

    /// <summary>Field name in the log.</summary>
    public string Output { get; set; } = "";
}
