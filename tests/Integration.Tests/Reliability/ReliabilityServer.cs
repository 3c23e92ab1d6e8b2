using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firecrest.Integration.Tests.Reliability;

/// <summary>
/// The real server in process on the real engine, like <c>LiveServer</c>, but on a configuration file of the test's
/// choice, with extra settings (rate limits, body size) and every log line captured in <see cref="Logs"/>.
/// </summary>
public sealed class ReliabilityServer(string configPath, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    private static readonly HttpClient TokenHttp = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Every log line the server wrote (message and exception text).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("YAML_CONFIG_FILE", configPath);
        builder.UseSetting("Logging:LogLevel:Default", "Debug");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureServices(s => s.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            l.AddProvider(Logs);
        }));
    }

    /// <summary>An HTTP client of the in-process server sending <paramref name="token"/>.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client-credentials access token from the OIDC issuer at <paramref name="tokenUrl"/>.</summary>
    public static async Task<string> TokenAsync(string tokenUrl, string clientId, string clientSecret)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        using var resp = await TokenHttp.SendAsync(req);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }
}

/// <summary>A logger provider that keeps every formatted line (with exceptions) in memory.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The lines so far.</summary>
    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    /// <summary>All lines joined.</summary>
    public string Text => string.Join('\n', _lines);

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
