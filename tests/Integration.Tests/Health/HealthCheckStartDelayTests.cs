using System.Net;
using Firecrest.Core.Engine;
using Firecrest.Integration.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrest.Integration.Tests.Health;

/// <summary>The real server's health checker starts <c>Server:HealthCheckStartDelaySeconds</c> after the listener opens.</summary>
public sealed class HealthCheckStartDelayTests : IDisposable
{
    private const int DelaySeconds = 30;
    private readonly TimerCountingClock _clock = new(counted: TimeSpan.FromSeconds(DelaySeconds), start: DateTimeOffset.UtcNow);
    private readonly DelayedHealthServer _server;

    public HealthCheckStartDelayTests() => _server = new DelayedHealthServer(_clock);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task The_first_health_run_starts_once_the_delay_has_passed_and_readiness_follows()
    {
        using var http = _server.CreateClient();
        var checker = _server.Services.GetRequiredService<EngineHost>().Health;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/status/liveness/")).StatusCode);
        // The delay starts on a pool thread once the host has started; the clock moves once it waits.
        Assert.True(_clock.WaitForTimers(), "the start delay never began");
        _clock.Advance(TimeSpan.FromSeconds(DelaySeconds) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/status/readiness/")).StatusCode);
        Assert.Null(checker.ExecuteTask);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await Readiness.WaitAsync(http, TimeSpan.FromSeconds(60));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.NotNull(checker.ExecuteTask);
    }

    private sealed class DelayedHealthServer(TimeProvider clock) : LiveServer
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Server:HealthCheckStartDelaySeconds", $"{DelaySeconds}");
            builder.ConfigureTestServices(s => s.AddSingleton(clock));
        }
    }
}
