namespace Firecrest.Tests.Support;

/// <summary>
/// The local test cluster started by <c>build.ps1 cluster up</c> (deploy/testenv/cluster.sh): reads
/// <c>.testenv/cluster.env</c> (or <c>$FIRECREST_CLUSTER_ENV</c>). A test that needs the cluster and finds
/// none fails with a message that says how to start it.
/// </summary>
public sealed class TestCluster
{
    private static readonly Lazy<TestCluster> Lazy = new(Load);
    private readonly Dictionary<string, string> _vars;

    private TestCluster(string path, Dictionary<string, string> vars)
    {
        EnvFile = path;
        _vars = vars;
    }

    /// <summary>The cluster described by cluster.env; throws with instructions when it is missing.</summary>
    public static TestCluster Current => Lazy.Value;

    /// <summary>Path of the cluster.env file read.</summary>
    public string EnvFile { get; }

    /// <summary>A value of cluster.env; throws when the key is missing.</summary>
    public string this[string key] => _vars.TryGetValue(key, out var v)
        ? v
        : throw new InvalidOperationException($"{EnvFile} has no {key}; re-run: dotnet pwsh ./build.ps1 cluster up");

    /// <summary>A value of cluster.env, or null.</summary>
    public string? Get(string key) => _vars.GetValueOrDefault(key);

    /// <summary>SSH host.</summary>
    public string SshHost => this["SSH_HOST"];

    /// <summary>SSH port.</summary>
    public int SshPort => int.Parse(this["SSH_PORT"]);

    /// <summary>Rendered demo configuration (upstream YAML format).</summary>
    public string ConfigPath => this["FIRECREST_CONFIG"];

    private static TestCluster Load()
    {
        var path = Environment.GetEnvironmentVariable("FIRECREST_CLUSTER_ENV");
        if (string.IsNullOrEmpty(path))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".testenv", "cluster.env");
                if (File.Exists(candidate)) { path = candidate; break; }
            }
        }
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException(
                "The local test cluster is not running (no .testenv/cluster.env found). Start it as root with: " +
                "dotnet tool restore && dotnet pwsh ./build.ps1 cluster up");
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var i = line.IndexOf('=');
            if (i > 0 && !line.TrimStart().StartsWith('#')) vars[line[..i].Trim()] = line[(i + 1)..].Trim();
        }
        return new TestCluster(path, vars);
    }
}
