using Firecrest.Core;
using Firecrest.Core.Ssh.HostKeys;

namespace Firecrest.Core.Tests.Ssh;

public class HostKeyVerificationTests
{
    // Keys and fingerprints made with ssh-keygen (OpenSSH 9.2): `ssh-keygen -lf`, and the hashed line with `ssh-keygen -H`.
    private const string Key1 = "AAAAC3NzaC1lZDI1NTE5AAAAIOqgSuL7aLRgy21QDINbEtefzlr980oz9es7Ny4/m2qR";
    private const string Key1Fingerprint = "SHA256:BDymIGJxu73u+emkAD5pENlst8VjwYb+mSoKT8gjYDA";
    private const string Key2 = "AAAAC3NzaC1lZDI1NTE5AAAAIBpiwMB0eSjPMJXB94Ci67KczeOYer+Tnm8Z61KrxN2s";
    private const string Key2Fingerprint = "SHA256:ih3KqN1RJyL5YKvlE0DsANF4Y+g0Z4girni8waJa8kU";
    private const string HashedLoginExampleOrg2222 = "|1|BdZvZYq3HHUpzqIjcyaUlWbr5E0=|hEUsE0J1uf80S/yMCD5A6Diuo2A= ssh-ed25519 " + Key1;

    private static byte[] Blob(string b64) => Convert.FromBase64String(b64);

    private static HostKeyVerifier WithKnownHosts(string text) => new(KnownHostsFile.Parse(text, "test_known_hosts"), [], false);

    [Fact]
    public void Sha256_fingerprint_equals_what_ssh_keygen_prints()
    {
        Assert.Equal(Key1Fingerprint, HostKeyFingerprint.Sha256(Blob(Key1)));
        Assert.Equal(Key2Fingerprint, HostKeyFingerprint.Sha256(Blob(Key2)));
    }

    [Fact]
    public void Bracketed_host_and_port_entry_matches_only_that_port()
    {
        var v = WithKnownHosts($"[127.0.0.1]:2222 ssh-ed25519 {Key1}\n");
        Assert.True(v.Verify("127.0.0.1", 2222, "ssh-ed25519", Blob(Key1)).Trusted);
        var other = v.Verify("127.0.0.1", 22, "ssh-ed25519", Blob(Key1));
        Assert.False(other.Trusted);
        Assert.Contains("no entry for 127.0.0.1", other.Reason);
    }

    [Fact]
    public void Plain_host_entry_applies_to_port_22_only()
    {
        var v = WithKnownHosts($"# comment\n\nlogin.example.org,10.0.0.1 ssh-ed25519 {Key1} comment\n");
        Assert.True(v.Verify("login.example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.True(v.Verify("LOGIN.example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.True(v.Verify("10.0.0.1", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.False(v.Verify("login.example.org", 2222, "ssh-ed25519", Blob(Key1)).Trusted);
    }

    [Fact]
    public void Changed_host_key_is_refused_with_a_clear_message()
    {
        var v = WithKnownHosts($"[127.0.0.1]:2222 ssh-ed25519 {Key1}\n");
        var d = v.Verify("127.0.0.1", 2222, "ssh-ed25519", Blob(Key2));
        Assert.False(d.Trusted);
        Assert.Contains("does NOT match", d.Reason);
        Assert.Contains(Key2Fingerprint, d.Reason);
        Assert.Contains("test_known_hosts", d.Reason);
    }

    [Fact]
    public void Hashed_entry_written_by_ssh_keygen_matches_its_host_only()
    {
        var v = WithKnownHosts(HashedLoginExampleOrg2222);
        Assert.True(v.Verify("login.example.org", 2222, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.False(v.Verify("login.example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.False(v.Verify("login2.example.org", 2222, "ssh-ed25519", Blob(Key1)).Trusted);
    }

    [Fact]
    public void Hash_function_reproduces_the_ssh_keygen_line()
    {
        var salt = Convert.FromBase64String("BdZvZYq3HHUpzqIjcyaUlWbr5E0=");
        Assert.Equal(HashedLoginExampleOrg2222.Split(' ')[0], KnownHostPatterns.Hash("[login.example.org]:2222", salt));
    }

    [Fact]
    public void Wildcards_and_negation_follow_openssh_rules()
    {
        var v = WithKnownHosts($"*.example.org,!bad.example.org ssh-ed25519 {Key1}\n");
        Assert.True(v.Verify("a.example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.False(v.Verify("bad.example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.False(v.Verify("example.org", 22, "ssh-ed25519", Blob(Key1)).Trusted);
        Assert.True(KnownHostPatterns.Matches("login?.example.org", "login1.example.org", 22));
        Assert.False(KnownHostPatterns.Matches("login?.example.org", "login12.example.org", 22));
    }

    [Fact]
    public void Revoked_key_is_refused_even_with_a_matching_pin()
    {
        var text = $"@revoked * ssh-ed25519 {Key1}\n[127.0.0.1]:2222 ssh-ed25519 {Key1}\n";
        var v = new HostKeyVerifier(KnownHostsFile.Parse(text), [Key1Fingerprint], false);
        var d = v.Verify("127.0.0.1", 2222, "ssh-ed25519", Blob(Key1));
        Assert.False(d.Trusted);
        Assert.Contains("@revoked", d.Reason);
    }

    [Fact]
    public void Bad_lines_are_skipped_and_counted()
    {
        var f = KnownHostsFile.Parse($"host-only\nhost ssh-ed25519 !!notbase64!!\n@weird host ssh-ed25519 {Key1}\nok ssh-ed25519 {Key1}\n");
        Assert.Equal(3, f.SkippedLines);
        Assert.Single(f.Entries);
        Assert.Equal(4, f.Entries[0].LineNumber);
    }

    [Fact]
    public void Pinned_fingerprint_accepts_that_key_and_refuses_others()
    {
        var v = new HostKeyVerifier(null, [Key1Fingerprint + "="], false);
        Assert.True(v.Verify("any.host", 2222, "ssh-ed25519", Blob(Key1)).Trusted);
        var d = v.Verify("any.host", 2222, "ssh-ed25519", Blob(Key2));
        Assert.False(d.Trusted);
        Assert.Contains("not among the 1 pinned", d.Reason);
    }

    [Fact]
    public void Pin_without_sha256_prefix_is_invalid()
    {
        var e = Assert.ThrowsAny<HpcException>(() => new HostKeyVerifier(null, ["MD5:aa:bb"], false));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Nothing_configured_fails_closed()
    {
        var d = new HostKeyVerifier(null, [], false).Verify("h", 22, "ssh-ed25519", Blob(Key1));
        Assert.False(d.Trusted);
        Assert.Contains("no known_hosts_file and no host_key_fingerprints", d.Reason);
    }

    [Fact]
    public void Insecure_flag_accepts_any_key_and_says_so()
    {
        var d = new HostKeyVerifier(null, [], true).Verify("h", 22, "ssh-ed25519", Blob(Key2));
        Assert.True(d.Trusted);
        Assert.Contains("WITHOUT verification", d.Reason);
    }

    [Fact]
    public void Rsa_entry_matches_on_key_blob_whatever_signature_algorithm_was_negotiated()
    {
        // SSH.NET reports the negotiated algorithm (e.g. rsa-sha2-512) while known_hosts says ssh-rsa: the blob decides.
        var v = WithKnownHosts($"[h]:2222 ssh-rsa {Key1}\n");
        Assert.True(v.Verify("h", 2222, "rsa-sha2-512", Blob(Key1)).Trusted);
    }
}
