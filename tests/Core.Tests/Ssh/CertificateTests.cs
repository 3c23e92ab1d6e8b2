using System.Security.Cryptography;
using System.Text;
using Firecrest.Core.Ssh.Credentials;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Firecrest.Core.Tests.Ssh;

public class CertificateTests
{
    [Fact]
    public void Written_private_key_loads_in_ssh_net_with_the_same_public_key()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var pub = new ED25519Key(seed).PublicKey;
        var text = OpenSshPrivateKeyWriter.WriteEd25519(seed, pub, "comment");
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", text);
        using var file = new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var key = Assert.IsType<ED25519Key>(file.Key);
        Assert.Equal(pub, key.PublicKey);
        Assert.Equal(seed, key.PrivateKey);
    }

    [Fact]
    public void Signed_user_certificate_parses_back_with_the_requested_fields_and_a_valid_ca_signature()
    {
        var caSeed = RandomNumberGenerator.GetBytes(32);
        using var caKey = new ED25519Key(caSeed);
        using var ca = SshCertificateAuthority.Load(OpenSshPrivateKeyWriter.WriteEd25519(caSeed, caKey.PublicKey, "ca"));
        var userPub = new ED25519Key(RandomNumberGenerator.GetBytes(32)).PublicKey;
        var after = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var request = new UserCertificateRequest(["alice"], "firecrest:alice", 0xDEADBEEF12345678UL, after, after.AddMinutes(5));

        var blob = OpenSshCertificate.SignEd25519UserCertificate(userPub, request, ca);
        var cert = new Certificate(blob);

        Assert.Equal(OpenSshCertificate.Ed25519CertType, cert.Name);
        Assert.Equal(Certificate.CertificateType.User, cert.Type);
        Assert.Equal(["alice"], cert.ValidPrincipals);
        Assert.Equal("firecrest:alice", cert.KeyId);
        Assert.Equal(0xDEADBEEF12345678UL, cert.Serial);
        Assert.Equal(after, cert.ValidAfter);
        Assert.Equal(after.AddMinutes(5), cert.ValidBefore);
        Assert.Equal(["permit-port-forwarding", "permit-pty", "permit-user-rc"], cert.Extensions.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(cert.CriticalOptions);
        Assert.Equal(OpenSshPrivateKeyWriter.Ed25519PublicKeyBlob(caKey.PublicKey), cert.CertificateAuthorityKey);
        Assert.Equal(userPub, Assert.IsType<ED25519Key>(cert.Key).PublicKey);

        // The signature blob is (string "ssh-ed25519", string sig) over every field before it.
        var sigAlg = Encoding.ASCII.GetString(cert.Signature, 4, 11);
        Assert.Equal("ssh-ed25519", sigAlg);
        var rawSig = cert.Signature.AsSpan(4 + 11 + 4).ToArray();
        using var verifier = new ED25519DigitalSignature(caKey);
        var signed = blob.AsSpan(0, blob.Length - 4 - cert.Signature.Length).ToArray();
        Assert.True(verifier.Verify(signed, rawSig));
        var tampered = (byte[])signed.Clone();
        tampered[^40] ^= 1;
        Assert.False(verifier.Verify(tampered, rawSig));
    }

    [Fact]
    public async Task Local_ca_provider_returns_a_loadable_key_and_certificate_for_the_user()
    {
        var caSeed = RandomNumberGenerator.GetBytes(32);
        using var caKey = new ED25519Key(caSeed);
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));
        using var provider = new LocalCaCredentialProvider(SshCertificateAuthority.Load(OpenSshPrivateKeyWriter.WriteEd25519(caSeed, caKey.PublicKey, "ca")), TimeSpan.FromMinutes(10), clock);

        var credential = await provider.GetCredentialAsync(new UserIdentity("bob"), CancellationToken.None);

        Assert.Equal(clock.GetUtcNow().AddMinutes(10), credential.ExpiresAt);
        using var file = new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(credential.PrivateKey)), null, new MemoryStream(Encoding.UTF8.GetBytes(credential.Certificate!)));
        Assert.Equal(["bob"], file.Certificate!.ValidPrincipals);
        Assert.Equal(clock.GetUtcNow().AddMinutes(-1), file.Certificate.ValidAfter);
        Assert.Equal(((ED25519Key)file.Key).PublicKey, ((ED25519Key)file.Certificate.Key).PublicKey);
        Assert.Contains("bob", file.Certificate.KeyId);
    }

    [Fact]
    public async Task Two_certificates_for_the_same_user_have_different_keys_and_serials()
    {
        var caSeed = RandomNumberGenerator.GetBytes(32);
        using var caKey = new ED25519Key(caSeed);
        using var provider = new LocalCaCredentialProvider(SshCertificateAuthority.Load(OpenSshPrivateKeyWriter.WriteEd25519(caSeed, caKey.PublicKey, "ca")), TimeSpan.FromMinutes(1));
        var a = OpenSshCertificate.TryParse((await provider.GetCredentialAsync(new UserIdentity("u"), default)).Certificate!)!;
        var b = OpenSshCertificate.TryParse((await provider.GetCredentialAsync(new UserIdentity("u"), default)).Certificate!)!;
        Assert.NotEqual(a.Serial, b.Serial);
        Assert.NotEqual(((ED25519Key)a.Key).PublicKey, ((ED25519Key)b.Key).PublicKey);
    }

    [Fact]
    public void Unparseable_certificate_line_gives_no_expiry()
    {
        Assert.Null(OpenSshCertificate.TryReadValidBefore("ssh-ed25519-cert-v01@openssh.com !!!"));
        Assert.Null(OpenSshCertificate.TryReadValidBefore("garbage"));
    }
}
