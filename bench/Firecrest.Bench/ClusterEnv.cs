namespace Firecrest.Bench;

/// <summary>The facts of the local test cluster (cluster.env: ports, keys, known_hosts, OIDC clients).</summary>
public sealed class ClusterEnv
{
    private readonly Dictionary<string, string> _vars;

    private ClusterEnv(string path, Dictionary<string, string> vars)
    {
        Path = path;
        _vars = vars;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>A value; throws when missing.</summary>
    public string this[string key] => _vars.TryGetValue(key, out var v) ? v
        : throw new InvalidOperationException($"{Path} has no {key}; run: dotnet pwsh ./build.ps1 cluster up");

    /// <summary>Reads <c>$FIRECREST_CLUSTER_ENV</c>, or the nearest <c>.testenv/cluster.env</c> above the working directory.</summary>
    public static ClusterEnv Load()
    {
        var path = Environment.GetEnvironmentVariable("FIRECREST_CLUSTER_ENV");
        if (string.IsNullOrEmpty(path))
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, ".testenv", "cluster.env");
                if (File.Exists(candidate)) { path = candidate; break; }
            }
        }
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException("No local cluster (set FIRECREST_CLUSTER_ENV or run: dotnet pwsh ./build.ps1 cluster up).");
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var i = line.IndexOf('=');
            if (i > 0 && !line.TrimStart().StartsWith('#')) vars[line[..i].Trim()] = line[(i + 1)..].Trim();
        }
        return new ClusterEnv(path, vars);
    }

    /// <summary>Private key file of <paramref name="user"/>.</summary>
    public string KeyOf(string user) => user == this["SSH_USER2"] ? this["SSH_KEY_FIREUSER2"] : this["SSH_KEY_FIREUSER"];

    /// <summary>Demo OIDC client (id, secret) of <paramref name="user"/>.</summary>
    public (string Id, string Secret) ClientOf(string user) => user == this["SSH_USER2"]
        ? (this["DEMO_CLIENT2_ID"], this["DEMO_CLIENT2_SECRET"])
        : (this["DEMO_CLIENT_ID"], this["DEMO_CLIENT_SECRET"]);
}
