using System.Management.Automation;
using Firecrest.Core;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>Engine and client errors as PowerShell error records.</summary>
internal static class ErrorRecords
{
    /// <summary>The PowerShell category of an error kind.</summary>
    public static ErrorCategory CategoryOf(HpcErrorKind kind) => kind switch
    {
        HpcErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        HpcErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        HpcErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        HpcErrorKind.QuotaExceeded => ErrorCategory.QuotaExceeded,
        HpcErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        HpcErrorKind.Timeout => ErrorCategory.OperationTimeout,
        HpcErrorKind.TooLarge => ErrorCategory.LimitsExceeded,
        HpcErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
        HpcErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        HpcErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        HpcErrorKind.Unauthenticated => ErrorCategory.AuthenticationError,
        HpcErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        HpcErrorKind.IdempotencyMismatch => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>An error record for <paramref name="e"/> (error id: the kind).</summary>
    public static ErrorRecord From(HpcException e, object? target)
    {
        var record = new ErrorRecord(e, "Hpc" + e.Kind, CategoryOf(e.Kind), target);
        if (!string.IsNullOrWhiteSpace(e.Stderr))
            record.ErrorDetails = new ErrorDetails(e.Message + " " + e.Stderr.Trim());
        return record;
    }
}
