using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core;

/// <summary>What went wrong, independent of transport; the server maps each kind to an HTTP status.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<HpcErrorKind>))]
public enum HpcErrorKind
{
    /// <summary>Unexpected failure (500).</summary>
    Internal,

    /// <summary>Bad argument or request (400).</summary>
    InvalidArgument,

    /// <summary>No such file, job or system (404).</summary>
    NotFound,

    /// <summary>Permission denied (403).</summary>
    PermissionDenied,

    /// <summary>Quota or QOS limit (403).</summary>
    QuotaExceeded,

    /// <summary>Target exists (400 upstream).</summary>
    AlreadyExists,

    /// <summary>The remote command timed out (408).</summary>
    Timeout,

    /// <summary>Output or file larger than allowed (413).</summary>
    TooLarge,

    /// <summary>SSH connection failed or was lost (424).</summary>
    ConnectionFailed,

    /// <summary>The service is unhealthy (503).</summary>
    Unavailable,

    /// <summary>Not supported by this scheduler or mode (501).</summary>
    NotImplemented,

    /// <summary>No or bad credentials (401).</summary>
    Unauthenticated,

    /// <summary>Too many requests (429).</summary>
    RateLimited,

    /// <summary>An idempotency key reused for a different request (422).</summary>
    IdempotencyMismatch,
}

/// <summary>An error of the engine or of a FirecREST server, with its kind and the chain of causes.</summary>
public class HpcException : Exception
{
    public HpcException(HpcErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public HpcErrorKind Kind { get; }

    /// <summary>HTTP status, when the error came from (or goes to) HTTP.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Remote command's exit status, when a remote command failed.</summary>
    public int? ExitStatus { get; init; }

    /// <summary>Remote command's stderr, when a remote command failed.</summary>
    public string? Stderr { get; init; }

    /// <summary>Messages of the causes (the envelope's <c>causedBy</c>).</summary>
    public IReadOnlyList<string>? CausedBy { get; init; }

    /// <summary>Extra data (the envelope's <c>data</c>).</summary>
    public object? ErrorData { get; init; }

    /// <summary>The <c>X-Request-ID</c> of the HTTP call that failed, when the error came from a FirecREST server.</summary>
    public string? RequestId { get; init; }
}
