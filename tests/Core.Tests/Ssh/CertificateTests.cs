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
        // SSH.NET's Certificate reads back 1 key in 512 altered (see CertifiableEd25519Key): this one it reads as written.
        using var userKey = CertifiableEd25519Key.Create();
        var userPub = userKey.PublicKey;
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

    // Its public key starts FF 8B: SSH.NET does not pair a certificate with it.
    private static readonly byte[] SeedSshNetCannotCertify = Convert.FromHexString("36D16C45EB95CA3560DC816CC03B9F878802DF3F971E43F6D02692937BABF4A7");

    private static SshCertificateAuthority NewCa()
    {
        var caSeed = RandomNumberGenerator.GetBytes(32);
        using var caKey = new ED25519Key(caSeed);
        return SshCertificateAuthority.Load(OpenSshPrivateKeyWriter.WriteEd25519(caSeed, caKey.PublicKey, "ca"));
    }

    [Fact]
    public void Ssh_net_refuses_a_certificate_for_a_public_key_starting_ff_then_a_high_byte()
    {
        using var ca = NewCa();
        var seed = (byte[])SeedSshNetCannotCertify.Clone();
        var pub = new ED25519Key(seed).PublicKey;
        Assert.False(CertifiableEd25519Key.SshNetCanCertify(pub));
        var now = DateTimeOffset.UtcNow;
        var cert = OpenSshCertificate.SignEd25519UserCertificate(pub, new UserCertificateRequest(["u"], "k", 1, now, now.AddMinutes(1)), ca);

        var e = Assert.Throws<ArgumentException>(() => new PrivateKeyFile(
            new MemoryStream(Encoding.UTF8.GetBytes(OpenSshPrivateKeyWriter.WriteEd25519(seed, pub, "k"))), null,
            new MemoryStream(Encoding.UTF8.GetBytes(OpenSshCertificate.ToLine(cert, "k")))));
        Assert.Contains("does not certify", e.Message);
    }

    [Fact]
    public async Task Local_ca_provider_draws_another_key_when_ssh_net_could_not_load_the_certificate_and_zeroes_the_first()
    {
        var refused = (byte[])SeedSshNetCannotCertify.Clone();
        byte[] accepted;
        using (var certifiable = CertifiableEd25519Key.Create()) accepted = (byte[])certifiable.Seed.Clone();
        var acceptedPublicKey = new ED25519Key((byte[])accepted.Clone()).PublicKey;
        var seeds = new Queue<byte[]>([refused, accepted]);
        using var provider = new LocalCaCredentialProvider(NewCa(), TimeSpan.FromMinutes(1), null, seeds.Dequeue);

        var credential = await provider.GetCredentialAsync(new UserIdentity("u"), CancellationToken.None);

        using var file = new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(credential.PrivateKey)), null, new MemoryStream(Encoding.UTF8.GetBytes(credential.Certificate!)));
        Assert.Equal(acceptedPublicKey, ((ED25519Key)file.Key).PublicKey);
        Assert.Empty(seeds);
        Assert.All(refused, b => Assert.Equal(0, b));
        Assert.All(accepted, b => Assert.Equal(0, b));
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
