using System.Collections.Concurrent;
using Firecrest.Server.Logging;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Firecrest.Server.Tests.Hosting;

/// <summary>
/// Secret-looking query values never reach a log, even with every framework logger at Trace: the hosting "Request
/// starting/finished" lines, the tracing log and HttpClient's request lines show the parameter with its value masked.
/// </summary>
public sealed class LogRedactionTests
{
    private sealed class Capture : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // What a structured provider writes: the message and every state value.
                var values = state is IEnumerable<KeyValuePair<string, object?>> kvs ? string.Join(' ', kvs.Select(kv => $"{kv.Key}={kv.Value}")) : "";
                lines.Enqueue($"{category}: {formatter(state, exception)} | {values}");
            }
        }
    }

    private static readonly Dictionary<string, string?> EverythingAtTrace = new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
    };

    [Fact]
    public async Task A_request_with_a_token_and_a_presigned_signature_in_its_query_logs_neither()
    {
        var capture = new Capture();
        using var f = new FirecrestFactory(s => s.Logger.EnableTracingLog = true, EverythingAtTrace);
        using var app = f.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(capture)));
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            "/status/systems?access_token=TOKEN-a1b2c3&X-Amz-Signature=SIG-d4e5f6&X-Amz-Credential=CRED-778899&client_secret=CS-0a0b&name=visible");
        request.Headers.Authorization = new("Bearer", f.Tokens.Create("fireuser"));
        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        var lines = capture.Lines.ToList();
        // The hosting line was written (so the check below can fail) with the harmless parameter intact.
        Assert.Contains(lines, l => l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics: Request starting", StringComparison.Ordinal)
            && l.Contains("access_token=***", StringComparison.Ordinal) && l.Contains("name=visible", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("f7t_v2_tracing_log", StringComparison.Ordinal) && l.Contains("X-Amz-Signature=***", StringComparison.Ordinal)
            && l.Contains("name=visible", StringComparison.Ordinal));
        foreach (var secret in new[] { "TOKEN-a1b2c3", "SIG-d4e5f6", "CRED-778899", "CS-0a0b" })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_outgoing_request_of_the_servers_http_clients_logs_no_signature()
    {
        var capture = new Capture();
        using var f = new FirecrestFactory(serverSettings: EverythingAtTrace);
        using var app = f.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(capture)));
        using var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("redaction-test");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("http://127.0.0.1:9/bucket/key?X-Amz-Signature=SIG-0f0e0d&uploadId=42"));
        var lines = capture.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("System.Net.Http.HttpClient.redaction-test", StringComparison.Ordinal) && l.Contains("127.0.0.1:9/bucket/key", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("SIG-0f0e0d", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET /x?access_token=abc&name=n", "GET /x?access_token=***&name=n")]
    [InlineData("url=http://s3/b/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=0123abcd&partNumber=1", "url=http://s3/b/k?X-Amz-Algorithm=***&X-Amz-Signature=***&partNumber=1")]
    [InlineData("?id_token=a.b.c#frag", "?id_token=***#frag")]
    [InlineData("\"http://h/p?Signature=xyz&AWSAccessKeyId=AK\"", "\"http://h/p?Signature=***&AWSAccessKeyId=***\"")]
    [InlineData("?sig=1&password=p w", "?sig=***&password=*** w")]
    [InlineData("path=/home/secret-file&token_count=2", "path=/home/secret-file&token_count=2")]
    [InlineData("no query here", "no query here")]
    [InlineData("{\"url\":\"/x?a=1\\u0026access_token=T\\u0026b=2\"}", "{\"url\":\"/x?a=1\\u0026access_token=***\\u0026b=2\"}")]
    public void Secret_values_are_masked_and_others_kept(string text, string expected) =>
        Assert.Equal(expected, QueryRedaction.Redact(text));
}
