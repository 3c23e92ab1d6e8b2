using System.Diagnostics;
using System.Text.Json.Nodes;
using Firecrest.Core.Configuration;
using Firecrest.Core.Ssh.Credentials;
using Firecrest.Server.Auth;

namespace Firecrest.Server.Middleware;

/// <summary>
/// Upstream's tracing log (<c>logger.enable_tracing_log</c>): a JSON line when a request arrives and one when its
/// answer leaves, on the logger category <c>f7t_v2_tracing_log</c>, with the request and correlation ids and the
/// request headers listed in <c>logger.loggable_request_headers</c> under their configured names. Never the token.
/// </summary>
public sealed partial class TracingLogMiddleware(RequestDelegate next, FirecrestSettings settings, ILoggerFactory loggers)
{
    /// <summary>Logger category, as upstream.</summary>
    public const string Category = "f7t_v2_tracing_log";

    private readonly ILogger _log = loggers.CreateLogger(Category);

    /// <summary>Logs the request and its answer when the tracing log is on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!settings.Logger.EnableTracingLog || !_log.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        var fields = Common(context);
        fields["event"] = "request";
        foreach (var header in settings.Logger.LoggableRequestHeaders)
            if (context.Request.Headers.TryGetValue(header.Input, out var value) && !IsSecret(header.Input))
                fields[string.IsNullOrEmpty(header.Output) ? header.Input : header.Output] = value.ToString();
        Write(fields);
        try
        {
            await next(context);
        }
        finally
        {
            var answer = Common(context);
            answer["event"] = "response";
            answer["status_code"] = context.Response.StatusCode;
            answer["username"] = RequestUser.TryGetUsername(context);
            answer["duration_ms"] = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2);
            Write(answer);
        }
    }

    private static JsonObject Common(HttpContext context)
    {
        var fields = new JsonObject
        {
            ["method"] = context.Request.Method,
            ["url"] = Logging.QueryRedaction.Redact(context.Request.PathBase + context.Request.Path + context.Request.QueryString),
        };
        foreach (var (name, value) in RequestIds.Headers)
            fields[name == RequestIds.RequestIdHeader ? "request_id" : "correlation_id"] = value;
        return fields;
    }

    private static bool IsSecret(string header) =>
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Equals("Cookie", StringComparison.OrdinalIgnoreCase);

    private void Write(JsonObject fields) => LogTrace(_log, fields.ToJsonString());

    [LoggerMessage(EventId = 2, EventName = "Trace", Level = LogLevel.Information, Message = "{Trace}")]
    private static partial void LogTrace(ILogger logger, string trace);
}
