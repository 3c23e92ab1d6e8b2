namespace Firecrest.Core.Errors;

/// <summary>
/// The one pairing of HTTP statuses and <see cref="HpcErrorKind"/>s, both ways: the server answers a kind with
/// <see cref="StatusOf"/>, the HTTP client, the transfer client and the slurmrestd adapter read a status with
/// <see cref="KindOf"/>.
/// </summary>
public static class HttpErrorKinds
{
    /// <summary>The kind an error status stands for; an unknown status is <see cref="HpcErrorKind.Internal"/>.</summary>
    public static HpcErrorKind KindOf(int status) => status switch
    {
        400 => HpcErrorKind.InvalidArgument,
        401 => HpcErrorKind.Unauthenticated,
        403 => HpcErrorKind.PermissionDenied,
        404 => HpcErrorKind.NotFound,
        408 => HpcErrorKind.Timeout,
        413 => HpcErrorKind.TooLarge,
        422 => HpcErrorKind.IdempotencyMismatch,
        424 => HpcErrorKind.ConnectionFailed,
        429 => HpcErrorKind.RateLimited,
        501 => HpcErrorKind.NotImplemented,
        503 => HpcErrorKind.Unavailable,
        _ => HpcErrorKind.Internal,
    };

    /// <summary>
    /// The status the server answers <paramref name="kind"/> with (QuotaExceeded is 403 and AlreadyExists 400, as
    /// upstream, so they read back as PermissionDenied and InvalidArgument).
    /// </summary>
    public static int StatusOf(HpcErrorKind kind) => kind switch
    {
        HpcErrorKind.InvalidArgument => 400,
        HpcErrorKind.NotFound => 404,
        HpcErrorKind.PermissionDenied => 403,
        HpcErrorKind.QuotaExceeded => 403,
        HpcErrorKind.AlreadyExists => 400,
        HpcErrorKind.Timeout => 408,
        HpcErrorKind.TooLarge => 413,
        HpcErrorKind.ConnectionFailed => 424,
        HpcErrorKind.Unavailable => 503,
        HpcErrorKind.NotImplemented => 501,
        HpcErrorKind.Unauthenticated => 401,
        HpcErrorKind.RateLimited => 429,
        HpcErrorKind.IdempotencyMismatch => 422,
        _ => 500,
    };
}
