using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.Credentials;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Ssh;

/// <summary>Builds pools against the local cluster's sshd (facts from cluster.env).</summary>
internal static class SshPoolFactory
{
    public const string SystemName = "cluster";

    public static TestCluster Cluster => TestCluster.Current;

    public static ClusterSettings ClusterSettings(Action<SshSettings>? configure = null)
    {
        var c = Cluster;
        var ssh = new SshSettings
        {
            Host = c.SshHost,
            Port = c.SshPort,
            KnownHostsFile = c["SSH_KNOWN_HOSTS"],
            MaxSessionsPerConnection = 10,
            Timeout = new SshTimeoutSettings { Connection = 5, Login = 5, CommandExecution = 10, IdleTimeout = 60, KeepAlive = 5 },
        };
        configure?.Invoke(ssh);
        return new ClusterSettings { Name = SystemName, Ssh = ssh };
    }

    public static FirecrestSettings Settings(Action<SshSettings>? configure = null, long? outputLimit = null)
    {
        var cluster = ClusterSettings(configure);
        if (outputLimit is { } l) cluster.DataOperation.MaxOpsFileSize = l;
        return new FirecrestSettings { Clusters = [cluster] };
    }

    public static StaticKeySettings KeyFile(string keyVar, string? certVar = null) => new()
    {
        PrivateKey = File.ReadAllText(Cluster[keyVar]),
        PublicCert = certVar is null ? null : File.ReadAllText(Cluster[certVar]),
    };

    /// <summary>Static ed25519 keys of fireuser and fireuser2.</summary>
    public static ISshCredentialProvider StaticKeys() => new StaticKeyCredentialProvider(new Dictionary<string, StaticKeySettings>
    {
        ["fireuser"] = KeyFile("SSH_KEY_FIREUSER"),
        ["fireuser2"] = KeyFile("SSH_KEY_FIREUSER2"),
    });

    public static SshConnectionPool Pool(Action<SshSettings>? configure = null, ISshCredentialProvider? credentials = null, long? outputLimit = null,
        TimeProvider? time = null) =>
        new(Settings(configure, outputLimit), credentials ?? StaticKeys(), time: time);

    public static UserIdentity User1 => new(Cluster["SSH_USER"]);

    public static UserIdentity User2 => new(Cluster["SSH_USER2"]);
}
