using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.Credentials;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

public class SshAuthenticationTests
{
    private static async Task<string> WhoAmIAsync(ISshCredentialProvider credentials, Action<SshSettings>? configure = null)
    {
        await using var pool = Pool(configure, credentials);
        var result = await pool.RunAsync(SystemName, User1, new RemoteCommand("id -un"), CancellationToken.None);
        Assert.Equal(0, result.ExitStatus);
        return result.Stdout.Trim();
    }

    private static ISshCredentialProvider Static(StaticKeySettings key) => new StaticKeyCredentialProvider(new Dictionary<string, StaticKeySettings> { ["fireuser"] = key });

    [Fact]
    public async Task Ed25519_key_logs_in()
    {
        Assert.Equal("fireuser", await WhoAmIAsync(Static(KeyFile("SSH_KEY_FIREUSER"))));
    }

    [Fact]
    public async Task Rsa_key_logs_in()
    {
        Assert.Equal("fireuser", await WhoAmIAsync(Static(KeyFile("SSH_KEY_FIREUSER_RSA"))));
    }

    [Fact]
    public async Task Pre_signed_certificate_logs_in()
    {
        Assert.Equal("fireuser", await WhoAmIAsync(Static(KeyFile("SSH_CERT_KEY_FIREUSER", "SSH_CERT_FIREUSER"))));
    }

    [Fact]
    public async Task Certificate_key_without_its_certificate_is_refused_as_connection_failed()
    {
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => WhoAmIAsync(Static(KeyFile("SSH_CERT_KEY_FIREUSER"))));
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Contains("authentication", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Engine_signed_certificate_from_the_cluster_ca_logs_in()
    {
        var settings = new SshCredentialsSettings { Type = SshCredentialsType.SshCa, CaPrivateKey = Cluster["SSH_CA_KEY"], CertificateLifetime = 120 };
        Assert.Equal("fireuser", await WhoAmIAsync(SshCredentialProviders.Create(settings)));
    }

    [Fact]
    public async Task Certificate_signed_by_an_unknown_ca_is_refused()
    {
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var key = new Renci.SshNet.Security.ED25519Key(seed);
        using var provider = new LocalCaCredentialProvider(SshCertificateAuthority.Load(OpenSshPrivateKeyWriter.WriteEd25519(seed, key.PublicKey, "rogue")), TimeSpan.FromMinutes(1));
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => WhoAmIAsync(provider));
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
    }

    [Fact]
    public async Task Jump_host_tunnels_to_the_login_node()
    {
        Assert.Equal("fireuser", await WhoAmIAsync(Static(KeyFile("SSH_KEY_FIREUSER")), s =>
        {
            s.ProxyHost = Cluster.SshHost;
            s.ProxyPort = Cluster.SshPort;
        }));
    }
}
