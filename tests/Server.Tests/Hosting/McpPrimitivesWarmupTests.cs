using System.Net;
using Firecrest.Server.Hosting;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Firecrest.Server.Tests.Hosting;

public sealed class McpPrimitivesWarmupTests : IDisposable
{
    private readonly TimerCountingClock _clock = new(counted: McpPrimitivesWarmup.Delay, start: DateTimeOffset.UtcNow);
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FirecrestFactory _root;
    private readonly WebApplicationFactory<Program> _f;
    private int _builds;

    public McpPrimitivesWarmupTests()
    {
        _root = new FirecrestFactory(clock: _clock);
        _f = _root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.PostConfigure<McpServerOptions>(_ =>
        {
            Interlocked.Increment(ref _builds);
            _built.TrySetResult();
        })));
    }

    public void Dispose()
    {
        _f.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task The_mcp_tools_are_built_once_the_delay_after_start_has_passed_not_while_the_first_requests_arrive()
    {
        using var client = _f.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status/liveness/")).StatusCode);
        // The warm-up starts its wait on a thread of its own after the host starts; the clock moves once it waits.
        Assert.True(_clock.WaitForTimers(), "the warm-up never started its wait");
        _clock.Advance(McpPrimitivesWarmup.Delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status/liveness/")).StatusCode);
        Assert.Equal(0, Volatile.Read(ref _builds));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _built.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, Volatile.Read(ref _builds));
    }
}
