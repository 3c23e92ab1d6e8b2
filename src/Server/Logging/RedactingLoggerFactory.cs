namespace Firecrest.Server.Logging;

/// <summary>
/// The logger factory of the server: every logger of every provider (the framework's hosting, Kestrel and HttpClient
/// loggers included) hands its message and its state values through <see cref="QueryRedaction"/> first, so a URL with
/// a token or a presigned signature in its query is never written, whatever log levels an operator configures.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc/>
    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            var redacted = QueryRedaction.Redact(message);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
            var changedValue = values?.Any(kv => kv.Value is not null and not ValueType && QueryRedaction.Redact(kv.Value.ToString() ?? "") != (kv.Value.ToString() ?? "")) == true;
            if (ReferenceEquals(redacted, message) && !changedValue)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var safe = new RedactedState(redacted, values?.Select(kv => kv.Value is null or ValueType
                ? kv
                : new KeyValuePair<string, object?>(kv.Key, kv.Key == "{OriginalFormat}" ? kv.Value : QueryRedaction.Redact(kv.Value.ToString() ?? ""))).ToList() ?? []);
            inner.Log(logLevel, eventId, safe, exception, static (s, _) => s.Message);
        }
    }

    /// <summary>A log state whose message and values have been redacted (what structured providers read).</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
