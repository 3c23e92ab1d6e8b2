using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Firecrest.Server.Middleware;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firecrest.Server.Tests.Hosting;

/// <summary>
/// The request's X-Request-ID and X-Correlation-ID reach the logs: the request line names them and the trace id, and
/// every line written while the request runs carries them in its scope (what the JSON console writes as <c>Scopes</c>).
/// </summary>
public sealed class LogCorrelationTests
{
    private sealed record Line(string Category, string Message, IReadOnlyDictionary<string, object?> Scope);

    /// <summary>Records each line with the values of the scopes open when it was written.</summary>
    private sealed class Capture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<Line> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose() { }

        private sealed class Logger(string category, Capture capture) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                capture._scopes?.ForEachScope((s, d) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object>> kvs) foreach (var (k, v) in kvs) d[k] = v;
                }, scope);
                capture.Lines.Enqueue(new Line(category, formatter(state, exception), scope));
            }
        }
    }

    [Fact]
    public async Task The_request_line_and_the_lines_inside_the_request_name_its_ids_and_trace()
    {
        var capture = new Capture();
        using var f = new FirecrestFactory(serverSettings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
        });
        using var app = f.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(capture)));
        using var client = app.CreateClient();
        var requestId = Guid.NewGuid().ToString("N");
        var correlationId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/status/systems");
        request.Headers.Authorization = new("Bearer", f.Tokens.Create("fireuser"));
        request.Headers.Add("X-Request-ID", requestId);
        request.Headers.Add("X-Correlation-ID", correlationId);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        var lines = capture.Lines.ToList();
        var requestLine = Assert.Single(lines, l => l.Category == typeof(RequestLogMiddleware).FullName && l.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Matches(new Regex($@" {requestId} {correlationId} [0-9a-f]{{32}} fireuser  /status/systems GET 200 "), requestLine.Message);

        // The authentication handler's lines are written inside the request.
        var inside = lines.Where(l => l.Category.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inside);
        Assert.All(inside, l =>
        {
            Assert.Equal(requestId, l.Scope.GetValueOrDefault("request_id"));
            Assert.Equal(correlationId, l.Scope.GetValueOrDefault("correlation_id"));
            Assert.Matches("^[0-9a-f]{32}$", l.Scope.GetValueOrDefault("TraceId")?.ToString() ?? "");
        });
    }
}
