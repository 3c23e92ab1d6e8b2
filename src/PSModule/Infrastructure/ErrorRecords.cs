using System.Management.Automation;
using System.Text.RegularExpressions;
using Firecrest.Core;
using Firecrest.Core.Errors;
using Firecrest.Core.Models;

namespace Firecrest.PowerShell.Infrastructure;

/// <summary>
/// Engine and client errors as PowerShell error records: the one map from error kind to category, and the one place
/// that turns a remote command's raw message (<c>mkdir: cannot create directory …: File exists</c>, <c>scancel: error:
/// …</c>) into a sentence naming the item. The exception keeps the original message and stderr.
/// </summary>
internal static partial class ErrorRecords
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

    /// <summary>
    /// An error record for <paramref name="e"/> about <paramref name="target"/> (a path, a job id, a name) on
    /// <paramref name="system"/> by <paramref name="command"/>; error id: the kind; shown message: a sentence naming the target.
    /// </summary>
    public static ErrorRecord From(HpcException e, object target, string? system = null, string? command = null)
    {
        var kind = KindOf(e);
        var record = new ErrorRecord(e, "Hpc" + kind, CategoryOf(kind), target);
        if (Sentence(e, target, system, command) is { } sentence) record.ErrorDetails = new ErrorDetails(sentence);
        return record;
    }

    /// <summary>An ObjectNotFound record for a name that matched nothing (as <c>Get-Item</c> reports a missing path).</summary>
    public static ErrorRecord NotFound(string noun, string name, string? system = null) =>
        new(new ItemNotFoundException($"No {noun} named '{name}'{(system is null ? "" : " on " + system)}."),
            "Hpc" + char.ToUpperInvariant(noun[0]) + noun[1..].Replace(" ", "", StringComparison.Ordinal) + "NotFound",
            ErrorCategory.ObjectNotFound, name);

    /// <summary>
    /// The kind of <paramref name="e"/>, made specific where only the remote text says it: a server answers some
    /// failures (an existing directory, a missing file) with a generic 400/500, whose message still carries the
    /// command's own words.
    /// </summary>
    internal static HpcErrorKind KindOf(HpcException e)
    {
        if (e.Kind is not (HpcErrorKind.InvalidArgument or HpcErrorKind.Internal)) return e.Kind;
        var refined = RemoteErrorClassifier.Classify($"{e.Message}\n{e.Stderr}");
        return refined is HpcErrorKind.AlreadyExists or HpcErrorKind.NotFound or HpcErrorKind.PermissionDenied or HpcErrorKind.QuotaExceeded ? refined : e.Kind;
    }

    /// <summary>The message to show instead of a remote command's own text; null when the message is already the engine's sentence.</summary>
    internal static string? Sentence(HpcException e, object target, string? system, string? command)
    {
        var named = e.Message.Contains(target.ToString() ?? "", StringComparison.Ordinal);
        if (!IsRaw(e) && (named || KindOf(e) is not (HpcErrorKind.NotFound or HpcErrorKind.AlreadyExists))) return null;
        var item = Describe(target);
        var where = system is null ? "" : " on " + system;
        var detail = Detail(e);
        return KindOf(e) switch
        {
            HpcErrorKind.AlreadyExists => $"{Capital(item)} already exists{where}.",
            HpcErrorKind.NotFound when item.StartsWith("job ", StringComparison.Ordinal) => $"{Capital(item)} was not found{where}: it does not exist or has ended and left the queue.",
            HpcErrorKind.NotFound => $"{Capital(item)} was not found{where}.",
            HpcErrorKind.PermissionDenied => $"Permission denied for {item}{where}: {detail}.",
            HpcErrorKind.QuotaExceeded => $"Quota or limit exceeded for {item}{where}: {detail}.",
            _ => $"{command ?? "The command"} failed for {item}{where}: {detail}.",
        };
    }

    // Messages a remote command wrote (its stderr, or the SSH layer's wrapper of it), rather than the engine's own sentences.
    private static bool IsRaw(HpcException e) =>
        !string.IsNullOrWhiteSpace(e.Stderr) || e.Message.Contains("Remote process failed", StringComparison.Ordinal) || CommandPrefix().IsMatch(e.Message);

    private static string Describe(object target) => target switch
    {
        Objects.HpcJob job => "job " + job.JobId,
        string s when s.StartsWith('/') => $"'{s}'",
        string s when JobId.TryParse(s, out _) => "job " + s,
        _ => $"'{target}'",
    };

    // The last meaningful line of the remote text, without "cmd: error: " prefixes and without a repeat of the path.
    private static string Detail(HpcException e)
    {
        var text = e.Message;
        var marker = text.IndexOf("error message:", StringComparison.Ordinal);
        if (marker >= 0) text = text[(marker + "error message:".Length)..];
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? text;
        while (CommandPrefix().Match(line) is { Success: true } m) line = line[m.Length..];
        return line.TrimEnd('.').Trim();
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex(@"\A(?:[a-z][\w.-]*: )(?:error: )?", RegexOptions.CultureInvariant)]
    private static partial Regex CommandPrefix();
}
