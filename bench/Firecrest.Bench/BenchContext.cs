using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;

namespace Firecrest.Bench;

/// <summary>What every benchmark item needs: cluster facts, configuration, the server process and the report.</summary>
public sealed class BenchContext(ClusterEnv env, BenchOptions options, FirecrestSettings settings, Report report, HttpClient http)
{
    /// <summary>System name of the demo configuration.</summary>
    public const string System = "cluster";

    /// <summary>Cluster facts.</summary>
    public ClusterEnv Env { get; } = env;

    /// <summary>Options.</summary>
    public BenchOptions Options { get; } = options;

    /// <summary>The server's configuration (read with the project's loader).</summary>
    public FirecrestSettings Settings { get; } = settings;

    /// <summary>The report.</summary>
    public Report Report { get; } = report;

    /// <summary>A plain client (tokens, polling, small requests).</summary>
    public HttpClient Http { get; } = http;

    /// <summary>Token source.</summary>
    public Tokens Tokens { get; } = new(env, http);

    /// <summary>The running server (set after the cold-start item).</summary>
    public ServerProcess? Server { get; set; }

    /// <summary>First user.</summary>
    public string User1 => Env["SSH_USER"];

    /// <summary>Second user.</summary>
    public string User2 => Env["SSH_USER2"];

    /// <summary>
    /// Slurm account both users may submit with: SLURM_ACCOUNT (hpcproj, the default account of both). SLURM_ACCOUNT2
    /// (hpcproj2) is a second account of the first user only; sbatch refuses it for the second user.
    /// </summary>
    public string AccountOf(string user) => Env["SLURM_ACCOUNT"];

    /// <summary>Home directory of a user on the cluster.</summary>
    public static string HomeOf(string user) => "/home/" + user;

    /// <summary>The demo cluster's settings.</summary>
    public ClusterSettings Cluster => Settings.Clusters.Single(c => c.Name == System);

    /// <summary>The command lines the engine sends (same timeout prefix), for the raw baselines.</summary>
    public FileCommandLines Commands => new(Cluster.Ssh.Timeout.CommandExecution);

    /// <summary>Channels per SSH connection the server's pool allows (the raw baseline gets the same).</summary>
    public int ChannelsPerConnection => Cluster.Ssh.MaxSessionsPerConnection;

    /// <summary>The running server, or an error.</summary>
    public ServerProcess RunningServer => Server ?? throw new InvalidOperationException("the server is not running");

    /// <summary>An absolute URL of the running server.</summary>
    public Uri Url(string relative) => new(RunningServer.BaseUrl, relative);
}
