using System.Collections.Concurrent;
using System.Text.Json;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firecrest.Server.Tests.Hosting;

public sealed class TracingLogTests
{
    private sealed class Capture : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }

    private static async Task<List<JsonElement>> TraceOf(bool enabled)
    {
        var capture = new Capture();
        using var f = new FirecrestFactory(s =>
        {
            s.Logger.EnableTracingLog = enabled;
            s.Logger.LoggableRequestHeaders = [new() { Input = "user-agent", Output = "user_agent" }, new() { Input = "Authorization", Output = "auth" }];
        });
        using var app = f.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(capture)));
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/status/systems");
        request.Headers.Authorization = new("Bearer", f.Tokens.Create("fireuser"));
        request.Headers.UserAgent.ParseAdd("pyfirecrest/3.0");
        request.Headers.Add("X-Request-ID", "0f8fad5bd9cb469fa16570867728950e");
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        return capture.Lines.Where(l => l.Category == "f7t_v2_tracing_log").Select(l => JsonDocument.Parse(l.Message).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task Request_and_response_lines_carry_the_ids_and_the_configured_headers()
    {
        var lines = await TraceOf(enabled: true);
        Assert.Equal(["request", "response"], lines.Select(l => l.GetProperty("event").GetString()));
        Assert.All(lines, l => Assert.Equal("0f8fad5bd9cb469fa16570867728950e", l.GetProperty("request_id").GetString()));
        Assert.All(lines, l => Assert.Equal(32, l.GetProperty("correlation_id").GetString()!.Length));
        Assert.Equal("pyfirecrest/3.0", lines[0].GetProperty("user_agent").GetString());
        Assert.False(lines[0].TryGetProperty("auth", out _));
        Assert.Equal(200, lines[1].GetProperty("status_code").GetInt32());
        Assert.Equal("fireuser", lines[1].GetProperty("username").GetString());
    }

    [Fact]
    public async Task Nothing_is_traced_when_the_switch_is_off() => Assert.Empty(await TraceOf(enabled: false));
}
