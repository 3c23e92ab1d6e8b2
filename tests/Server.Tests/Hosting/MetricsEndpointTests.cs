using System.Net;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Firecrest.Server.Tests.Hosting;

/// <summary>
/// <c>GET /metrics</c>: absent unless <c>Telemetry:Prometheus:Enabled</c>, then answered without a token to the
/// addresses of <c>Telemetry:Prometheus:AllowedNetworks</c> only. The caller's address is set on the in-process
/// request as Kestrel would set the TCP peer's.
/// </summary>
public sealed class MetricsEndpointTests
{
    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["Telemetry:Prometheus:Enabled"] = "true",
        ["Telemetry:Prometheus:AllowedNetworks:0"] = "127.0.0.1",
        ["Telemetry:Prometheus:AllowedNetworks:1"] = "10.20.0.0/16",
        // A small pre-authentication bucket, so that a burst of token-less requests is refused (rate-limit series).
        ["Server:PreAuthRateLimitPerSecond"] = "1",
        ["Server:PreAuthRateLimitBurst"] = "2",
    };

    private static HttpClient From(WebApplicationFactory<Program> f, string address) =>
        new(f.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address))) { BaseAddress = f.Server.BaseAddress };

    [Fact]
    public async Task Is_not_mapped_unless_enabled()
    {
        using var f = new FirecrestFactory();
        using var client = From(f, "127.0.0.1");
        await (await client.GetAsync("/metrics")).AssertError(404);
    }

    [Fact]
    public async Task After_requests_shows_request_duration_per_route_and_rate_limit_rejections_to_an_allowed_address_without_a_token()
    {
        using var f = new FirecrestFactory(serverSettings: Enabled);
        using var user = f.ClientFor();
        await (await user.GetAsync("/status/systems")).AssertStatus(200);
        // Token-less requests from one address beyond its bucket of 2 (1 per second): sent at once, some are refused.
        using var anonymous = From(f, "192.0.2.55");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => anonymous.GetAsync("/status/liveness/")));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests);

        using var scraper = From(f, "10.20.3.4");
        using var response = await scraper.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var samples = PrometheusText.Parse(text);

        var systems = samples.Where(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Labels.GetValueOrDefault("http_route") == "/status/systems" && s.Labels.GetValueOrDefault("http_response_status_code") == "200").ToList();
        Assert.True(systems.Count == 1 && systems[0].Value >= 1, text);
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Labels.GetValueOrDefault("http_route") == "/status/systems");
        var rejected = samples.Single(s => s.Name == "firecrest_rate_limit_rejections_total" && s.Labels.GetValueOrDefault("firecrest_rate_limiter") == "pre_auth");
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests), rejected.Value);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.21.0.1")]
    [InlineData("::1")]
    public async Task Refuses_an_address_outside_the_allow_list_with_403(string address)
    {
        using var f = new FirecrestFactory(serverSettings: Enabled);
        using var client = From(f, address);
        var body = await (await client.GetAsync("/metrics")).AssertError(403,
            "Metrics are not available to this address (Telemetry:Prometheus:AllowedNetworks).");
        Assert.DoesNotContain("http_server", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_caller_without_an_address_even_with_a_valid_token()
    {
        using var f = new FirecrestFactory(serverSettings: Enabled);
        using var client = f.ClientFor();
        await (await client.GetAsync("/metrics")).AssertError(403);
    }

    [Fact]
    public async Task An_IPv4_mapped_IPv6_peer_is_matched_as_IPv4()
    {
        using var f = new FirecrestFactory(serverSettings: Enabled);
        using var client = From(f, "::ffff:127.0.0.1");
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(PrometheusText.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData(null, "Telemetry:Prometheus:AllowedNetworks is empty")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' is not an IP address or a network")]
    public void Enabled_with_a_missing_or_bad_allow_list_stops_the_server_naming_the_key(string? network, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Telemetry:Prometheus:Enabled"] = "true" };
        if (network is not null) settings["Telemetry:Prometheus:AllowedNetworks:0"] = network;
        using var f = new FirecrestFactory(serverSettings: settings);
        var e = Assert.ThrowsAny<Exception>(() => f.CreateClient());
        Assert.Contains(expected, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_otlp_protocol_stops_the_server_naming_the_key()
    {
        using var f = new FirecrestFactory(serverSettings: new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4317",
            ["Telemetry:Otlp:Protocol"] = "thrift",
        });
        var e = Assert.ThrowsAny<Exception>(() => f.CreateClient());
        Assert.Contains("Telemetry:Otlp:Protocol must be 'grpc' or 'http/protobuf'", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_answer_only_there_and_that_port_answers_nothing_else()
    {
        var settings = new Dictionary<string, string?>(Enabled) { ["Telemetry:Prometheus:Port"] = "9464" };
        using var f = new FirecrestFactory(serverSettings: settings);
        HttpClient On(int port) => new(f.Server.CreateHandler(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
            c.Connection.LocalPort = port;
        })) { BaseAddress = f.Server.BaseAddress };
        using var metricsPort = On(9464);
        using var apiPort = On(8000);

        using (var scrape = await metricsPort.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.NotEmpty(PrometheusText.Parse(await scrape.Content.ReadAsStringAsync()));
        }
        await (await apiPort.GetAsync("/metrics")).AssertError(404);
        await (await metricsPort.GetAsync("/status/liveness/")).AssertError(404);
        await (await apiPort.GetAsync("/status/liveness/")).AssertStatus(200);
    }
}
