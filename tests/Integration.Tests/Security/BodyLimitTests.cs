using System.Net;
using System.Net.Http.Headers;
using Firecrest.Integration.Tests.Reliability;
using Firecrest.Tests.Support;
using Xunit.Abstractions;

namespace Firecrest.Integration.Tests.Security;

/// <summary>
/// Per-route body limits on the real server: a 60 MB body on a small JSON route is 413 before the server reads it,
/// while <c>ops/upload</c> still takes a file up to <c>max_ops_file_size</c> (1 MiB on the local cluster).
/// </summary>
[Trait("Category", "Security")]
public sealed class BodyLimitTests(HardeningServer f, ITestOutputHelper output) : IClassFixture<HardeningServer>
{
    /// <summary>A body of <paramref name="length"/> declared bytes, produced lazily; counts what the server pulled.</summary>
    private sealed class CountingContent(long length) : HttpContent
    {
        public long Sent;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            chunk[0] = (byte)'{';
            try
            {
                while (Sent < length)
                {
                    var n = (int)Math.Min(chunk.Length, length - Sent);
                    await stream.WriteAsync(chunk.AsMemory(0, n));
                    Sent += n;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // the server answered and stopped reading
            }
        }

        protected override bool TryComputeLength(out long l)
        {
            l = length;
            return true;
        }
    }

    [Fact]
    public async Task A_60_MB_mkdir_body_is_413_without_being_read()
    {
        // Over real sockets (Kestrel): the in-memory test server drains every request body whatever the app does.
        await using var server = new ReliabilityServer(TestCluster.Current.ConfigPath);
        server.UseKestrel(0);
        server.StartServer();
        var token = await ReliabilityServer.TokenAsync(TestCluster.Current["OIDC_TOKEN_URL"], TestCluster.Current["DEMO_CLIENT_ID"], TestCluster.Current["DEMO_CLIENT_SECRET"]);
        using var probe = server.CreateClient();
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = probe.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var content = new CountingContent(60_000_000);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Expect: 100-continue lets the client hold the body until the server asks for it (Kestrel does when the
        // app first reads it), so an answer before any read shows up as no body bytes sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/filesystem/cluster/ops/mkdir") { Content = content };
        request.Headers.ExpectContinue = true;
        using var r = await http.SendAsync(request);
        output.WriteLine($"{(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}; body bytes produced: {content.Sent}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal(0, content.Sent);
        Assert.False(r.Headers.Contains("Server"), "Kestrel's Server header is sent");
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Upload_of_a_file_near_max_ops_file_size_passes_the_body_limit()
    {
        var dir = $"/home/fireuser/bodylimit-{Guid.NewGuid():N}";
        using (var mk = await f.User1.PostAsync("/filesystem/cluster/ops/mkdir", System.Net.Http.Json.JsonContent.Create(new { path = dir })))
            Assert.Equal(HttpStatusCode.Created, mk.StatusCode);
        try
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[1024 * 1024 - 10]), "file", "big.bin" } };
            using var r = await f.User1.PostAsync($"/filesystem/cluster/ops/upload?path={Uri.EscapeDataString(dir)}", form);
            output.WriteLine($"{(int)r.StatusCode} {await HardeningServer.MessageAsync(r)}");
            Assert.True(r.IsSuccessStatusCode, $"upload: {(int)r.StatusCode}");
        }
        finally
        {
            using var _ = await f.User1.DeleteAsync($"/filesystem/cluster/ops/rm?path={Uri.EscapeDataString(dir)}");
        }
    }
}
