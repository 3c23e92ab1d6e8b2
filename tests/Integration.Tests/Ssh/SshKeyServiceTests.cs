using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh;
using Firecrest.Core.Ssh.Credentials;
using Firecrest.Tests.Support;
using static Firecrest.Integration.Tests.Ssh.SshPoolFactory;

namespace Firecrest.Integration.Tests.Ssh;

/// <summary>The SSHService provider against a tiny key service on loopback that hands out keys signed by the cluster CA.</summary>
public sealed class SshKeyServiceTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Auth, string Body, string? ClientName)> _requests = [];
    private readonly string _url;
    private readonly LocalCaCredentialProvider _ca;
    private readonly Task _serve;
    private HttpStatusCode _status = HttpStatusCode.Created;

    public SshKeyServiceTests()
    {
        _url = $"http://127.0.0.1:{LoopbackPort.Free()}/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _ca = new LocalCaCredentialProvider(SshCertificateAuthority.Load(Cluster["SSH_CA_KEY"]), TimeSpan.FromMinutes(1));
        _serve = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (_requests) _requests.Add((ctx.Request.Headers["Authorization"] ?? "", body, ctx.Request.Headers["x-client-name"]));
            var path = ctx.Request.Url!.AbsolutePath;
            ctx.Response.StatusCode = path == "/api/v1/ssh-keys" && ctx.Request.HttpMethod == "POST" ? (int)_status : 404;
            if (ctx.Response.StatusCode == 201)
            {
                var user = JsonDocument.Parse(body).RootElement.GetProperty("username").GetString()!;
                var cred = await _ca.GetCredentialAsync(new UserIdentity(user), CancellationToken.None);
                var json = JsonSerializer.Serialize(new { sshKey = new { privateKey = cred.PrivateKey, publicKey = cred.Certificate } });
                var bytes = Encoding.UTF8.GetBytes(json);
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            ctx.Response.Close();
        }
    }

    private ISshCredentialProvider Provider() =>
        SshCredentialProviders.Create(new SshCredentialsSettings { Type = SshCredentialsType.SshService, Url = _url.TrimEnd('/') });

    [Fact]
    public async Task Key_from_the_service_logs_in_and_is_cached_for_the_next_connection()
    {
        var provider = Provider();
        var user = new UserIdentity(User1.Username, "token-abc");
        await using (var pool = Pool(credentials: provider))
        {
            var r = await pool.RunAsync(SystemName, user, new RemoteCommand("id -un"), CancellationToken.None);
            Assert.Equal(User1.Username, r.Stdout.Trim());
        }
        await using (var pool = Pool(credentials: provider))
            await pool.RunAsync(SystemName, user, new RemoteCommand("true"), CancellationToken.None);
        var request = Assert.Single(_requests);
        Assert.Equal("Bearer token-abc", request.Auth);
        Assert.Equal("firecrest", request.ClientName);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("1min", body.RootElement.GetProperty("duration").GetString());
        Assert.Equal(User1.Username, body.RootElement.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Service_error_status_is_an_internal_error_with_the_status()
    {
        _status = HttpStatusCode.BadGateway;
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => Provider().GetCredentialAsync(new UserIdentity("fireuser", "t"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.Internal, e.Kind);
        Assert.Equal(502, e.StatusCode);
    }

    [Fact]
    public async Task Missing_access_token_is_unauthenticated()
    {
        var e = await Assert.ThrowsAnyAsync<HpcException>(() => Provider().GetCredentialAsync(new UserIdentity("fireuser"), CancellationToken.None));
        Assert.Equal(HpcErrorKind.Unauthenticated, e.Kind);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ca.Dispose();
    }
}
