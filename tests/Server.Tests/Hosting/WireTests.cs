using System.Net;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Hosting;

public sealed class WireTests : IDisposable
{
    private readonly FirecrestFactory _f = new(serverSettings: new Dictionary<string, string?>
    {
        ["Server:MaxRequestBodySize"] = "4096",
        ["Server:RateLimitPerSecond"] = "1",
        ["Server:RateLimitBurst"] = "3",
    });

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Responses_carry_the_firecrest_headers_and_echo_a_request_id()
    {
        var id = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Get, "/status/liveness/");
        request.Headers.Add("X-Request-ID", id);
        var response = await _f.CreateClient().SendAsync(request);
        Assert.Equal("2.x.x", response.Headers.GetValues("F7T-AppVersion").Single());
        Assert.True(double.TryParse(response.Headers.GetValues("F7T-Timestamp").Single(), System.Globalization.CultureInfo.InvariantCulture, out var ts) && ts > 1.7e9);
        Assert.Equal(id, response.Headers.GetValues("X-Request-ID").Single());
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Correlation-ID").Single());
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_docs_a_strict_csp()
    {
        foreach (var (client, url) in new[] { (_f.ClientFor(), "/status/systems"), (_f.CreateClient(), "/status/systems"), (_f.CreateClient(), "/no/such/route"), (_f.CreateClient(), "/status/liveness/") })
        {
            using var r = await client.GetAsync(url);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(r.Headers.CacheControl?.NoStore, $"{url}: Cache-Control {r.Headers.CacheControl}");
            Assert.False(r.Headers.Contains("Server"));
        }
        using var docs = await _f.CreateClient().GetAsync("/docs");
        var csp = docs.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        using var redoc = await _f.CreateClient().GetAsync("/redoc/index.html");
        Assert.Equal(csp, redoc.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Path_is_lower_cased_before_routing()
    {
        await (await _f.ClientFor().GetAsync("/STATUS/Cluster/Nodes")).AssertStatus(200);
        Assert.Equal("cluster", _f.Engine.Last("GetNodes").Args[0]);
    }

    [Fact]
    public async Task Unknown_route_is_404_in_the_envelope() =>
        await (await _f.ClientFor().GetAsync("/no/such/route")).AssertError(404, "Not Found");

    [Fact]
    public async Task Wrong_method_is_405_in_the_envelope() =>
        await (await _f.ClientFor().PatchAsync("/compute/cluster/jobs", Http.Json("{}"))).AssertError(405, "Method Not Allowed");

    [Fact]
    public async Task Text_body_that_is_not_json_is_400_in_the_envelope() =>
        await (await _f.ClientFor().PostAsync("/compute/cluster/jobs", new StringContent("x", System.Text.Encoding.UTF8, "text/plain"))).AssertError(400);

    [Fact]
    public async Task Body_above_the_limit_is_413_in_the_envelope()
    {
        var big = "{\"job\":{\"workingDirectory\":\"/w\",\"script\":\"" + new string('x', 8000) + "\"}}";
        await (await _f.ClientFor().PostAsync("/compute/cluster/jobs", Http.Json(big))).AssertError(413);
        Assert.Equal(0, _f.Engine.Count("SubmitJob"));
    }

    [Fact]
    public async Task Upload_route_takes_max_ops_file_size_beyond_the_small_route_limit()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[1000]), "file", "f.bin" } };
        form.Add(new StringContent(new string('x', 6000)), "padding");
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/upload?path=/home/fireuser", form)).AssertStatus(204);
    }

    [Fact]
    public async Task Missing_token_is_401_Not_authenticated_with_WWW_Authenticate()
    {
        var response = await _f.CreateClient().GetAsync("/status/systems");
        await response.AssertError(401, "Not authenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Too_many_requests_of_one_user_are_429_with_Retry_After_while_others_pass()
    {
        var client = _f.ClientFor();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var r = await client.GetAsync("/compute/cluster/jobs");
            if ((int)r.StatusCode == 429) limited = r;
        }
        Assert.NotNull(limited);
        await limited!.AssertError(429);
        Assert.True(limited.Headers.RetryAfter?.Delta?.TotalSeconds >= 1);
        await (await _f.ClientFor("fireuser2").GetAsync("/compute/cluster/jobs")).AssertStatus(200);
    }

    [Theory]
    [InlineData("/docs", "swagger-ui")]
    [InlineData("/redoc", "redoc")]
    public async Task Docs_pages_are_served_as_html(string page, string marker)
    {
        var response = await _f.CreateClient().GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(marker, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Docs_pages_load_the_served_document()
    {
        var client = _f.CreateClient();
        var swagger = await client.GetStringAsync("/docs/index.js");
        Assert.True(swagger.Contains("../openapi.json", StringComparison.Ordinal), swagger);
        var redoc = await client.GetStringAsync("/redoc/index.js");
        Assert.True(redoc.Contains("../openapi.json", StringComparison.Ordinal), redoc);
    }
}
