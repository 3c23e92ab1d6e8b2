using Firecrest.Core;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.HostKeys;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

public sealed class SshHostKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("firecrest-ssh-hostkeys-").FullName;

    private const string ForeignKey = "AAAAC3NzaC1lZDI1NTE5AAAAIOqgSuL7aLRgy21QDINbEtefzlr980oz9es7Ny4/m2qR";

    private async Task<HpcException> RefusedAsync(Action<Firecrest.Core.Configuration.SshSettings> configure)
    {
        await using var pool = Pool(configure);
        return await Assert.ThrowsAnyAsync<HpcException>(() => pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None));
    }

    [Fact]
    public async Task Wrong_host_key_in_known_hosts_is_refused()
    {
        var file = Path.Combine(_dir, "known_hosts");
        await File.WriteAllTextAsync(file, $"[{Cluster.SshHost}]:{Cluster.SshPort} ssh-ed25519 {ForeignKey}\n[{Cluster.SshHost}]:{Cluster.SshPort} ssh-rsa {ForeignKey}\n");
        var e = await RefusedAsync(s => s.KnownHostsFile = file);
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Contains("does NOT match", e.Message);
    }

    [Fact]
    public async Task Known_hosts_without_the_host_is_refused()
    {
        var file = Path.Combine(_dir, "known_hosts");
        await File.WriteAllTextAsync(file, $"other.example.org ssh-ed25519 {ForeignKey}\n");
        var e = await RefusedAsync(s => s.KnownHostsFile = file);
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Contains("unknown", e.Message);
    }

    [Fact]
    public async Task No_trust_configured_fails_closed()
    {
        var e = await RefusedAsync(s => s.KnownHostsFile = null);
        Assert.Equal(HpcErrorKind.ConnectionFailed, e.Kind);
        Assert.Contains("no known_hosts_file and no host_key_fingerprints", e.Message);
    }

    [Fact]
    public async Task Pinned_fingerprint_of_the_real_host_key_is_accepted()
    {
        var pins = KnownHostsFile.Parse(await File.ReadAllTextAsync(Cluster["SSH_KNOWN_HOSTS"])).Entries.Select(e => HostKeyFingerprint.Sha256(e.KeyBlob)).ToList();
        await using var pool = Pool(s => { s.KnownHostsFile = null; s.HostKeyFingerprints = pins; });
        var r = await pool.RunAsync(SystemName, User1, new RemoteCommand("echo ok"), CancellationToken.None);
        Assert.Equal("ok\n", r.Stdout);
    }

    [Fact]
    public async Task Hashed_known_hosts_entry_is_accepted()
    {
        var real = KnownHostsFile.Parse(await File.ReadAllTextAsync(Cluster["SSH_KNOWN_HOSTS"])).Entries;
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20);
        var hashed = string.Join('\n', real.Select(e => $"{KnownHostPatterns.Hash(KnownHostPatterns.LookupName(Cluster.SshHost, Cluster.SshPort), salt)} {e.KeyType} {Convert.ToBase64String(e.KeyBlob)}"));
        var file = Path.Combine(_dir, "known_hosts_hashed");
        await File.WriteAllTextAsync(file, hashed + "\n");
        await using var pool = Pool(s => s.KnownHostsFile = file);
        Assert.Equal(0, (await pool.RunAsync(SystemName, User1, new RemoteCommand("true"), CancellationToken.None)).ExitStatus);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
