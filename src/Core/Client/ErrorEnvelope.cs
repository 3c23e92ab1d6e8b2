using System.Net;
using System.Text.Json;
using Firecrest.Core.Errors;

namespace Firecrest.Core.Client;

/// <summary>Turns a FirecREST error answer (<c>{errorType, message, causedBy, data, user}</c>, or any other body) into an <see cref="HpcException"/>.</summary>
public static class ErrorEnvelope
{
    private const int MaxRawBodyInMessage = 500;

    /// <summary>
    /// The exception for an error answer: kind and <see cref="HpcException.StatusCode"/> from <paramref name="status"/>, the
    /// envelope's message verbatim, <c>causedBy</c> and <c>data</c> when the body is one, else the body text (shortened) or the reason phrase.
    /// </summary>
    public static HpcException ToException(HttpStatusCode status, string? reasonPhrase, string body, string method, string path, string? requestId)
    {
        var code = (int)status;
        string? message = null;
        IReadOnlyList<string>? causedBy = null;
        object? data = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                message = Text(root, "message") ?? Text(root, "detail") ?? Text(root, "error_description") ?? Text(root, "error");
                if (root.TryGetProperty("causedBy", out var cb) && cb.ValueKind == JsonValueKind.Array)
                    causedBy = cb.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
                if (root.TryGetProperty("data", out var d) && d.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                    data = d.Clone();
            }
        }
        catch (JsonException)
        {
            // not JSON: the raw text is the message
        }
        if (string.IsNullOrWhiteSpace(message))
        {
            var raw = body.Trim();
            var detail = raw.Length == 0 ? reasonPhrase ?? status.ToString()
                : raw.Length > MaxRawBodyInMessage ? raw[..MaxRawBodyInMessage] + "…" : raw;
            message = $"HTTP {code} from {method} {path}: {detail}";
        }
        return new HpcException(HttpErrorKinds.KindOf(code), message)
        {
            StatusCode = code,
            CausedBy = causedBy,
            ErrorData = data,
            RequestId = requestId,
        };
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
