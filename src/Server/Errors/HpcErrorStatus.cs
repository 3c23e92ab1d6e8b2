using Firecrest.Core;

namespace Firecrest.Server.Errors;

/// <summary>The one map from engine error kinds to HTTP statuses.</summary>
public static class HpcErrorStatus
{
    /// <summary>HTTP status of <paramref name="kind"/>.</summary>
    public static int For(HpcErrorKind kind) => kind switch
    {
        HpcErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        HpcErrorKind.NotFound => StatusCodes.Status404NotFound,
        HpcErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
        HpcErrorKind.QuotaExceeded => StatusCodes.Status403Forbidden,
        HpcErrorKind.AlreadyExists => StatusCodes.Status400BadRequest,
        HpcErrorKind.Timeout => StatusCodes.Status408RequestTimeout,
        HpcErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        HpcErrorKind.ConnectionFailed => StatusCodes.Status424FailedDependency,
        HpcErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        HpcErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        HpcErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        HpcErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        HpcErrorKind.IdempotencyMismatch => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };
}
