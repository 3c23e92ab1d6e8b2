using System.Text.RegularExpressions;

namespace Firecrest.Core.Errors;

/// <summary>
/// The one reading of a failed remote command's stderr (coreutils, tar, Slurm, PBS) as an <see cref="HpcErrorKind"/>.
/// The first rule that matches wins; stderr that no rule knows is <see cref="HpcErrorKind.Internal"/>.
/// </summary>
public static partial class RemoteErrorClassifier
{
    /// <summary>Exit status of <c>timeout(1)</c> when it killed the command.</summary>
    public const int TimeoutExitStatus = 124;

    /// <summary>
    /// The kind of a failure with <paramref name="exitStatus"/> and <paramref name="stderr"/>: exit 124 → Timeout;
    /// "No such file or directory", "Invalid job id", "Unknown Job Id" → NotFound; "Permission denied", "Operation not
    /// permitted", "Access/User denied", "Unauthorized" → PermissionDenied; "Disk quota exceeded", "No space left",
    /// Slurm QOS/association limits → QuotaExceeded; "File exists", "Directory not empty" → AlreadyExists; "Is a
    /// directory", "Not a directory", "invalid user/group/option", "unrecognized option", "unknown queue",
    /// "illegal", "Invalid argument" (dd's offset past any file), a job "already completing or completed" → InvalidArgument;
    /// else Internal.
    /// </summary>
    public static HpcErrorKind Classify(int exitStatus, string? stderr)
    {
        if (exitStatus == TimeoutExitStatus) return HpcErrorKind.Timeout;
        return Classify(stderr);
    }

    /// <summary>The kind <paramref name="text"/> (stderr or a scheduler's error text) stands for; Internal when no rule matches.</summary>
    public static HpcErrorKind Classify(string? text)
    {
        if (string.IsNullOrEmpty(text)) return HpcErrorKind.Internal;
        if (NotFound().IsMatch(text)) return HpcErrorKind.NotFound;
        if (Quota().IsMatch(text)) return HpcErrorKind.QuotaExceeded;
        if (Denied().IsMatch(text)) return HpcErrorKind.PermissionDenied;
        if (Exists().IsMatch(text)) return HpcErrorKind.AlreadyExists;
        if (Invalid().IsMatch(text)) return HpcErrorKind.InvalidArgument;
        return HpcErrorKind.Internal;
    }

    /// <summary>
    /// The kind of a failed job submission (sbatch, qsub, slurmrestd's job submit): a QOS/association limit or quota is
    /// QuotaExceeded; anything that names a missing, refused or invalid part of the request (script file, working
    /// directory, queue, account, option, a script without <c>#!</c>) is InvalidArgument; else Internal.
    /// </summary>
    public static HpcErrorKind ClassifySubmission(string? text)
    {
        if (string.IsNullOrEmpty(text)) return HpcErrorKind.Internal;
        if (Quota().IsMatch(text)) return HpcErrorKind.QuotaExceeded;
        if (Classify(text) != HpcErrorKind.Internal || SubmissionInvalid().IsMatch(text)) return HpcErrorKind.InvalidArgument;
        return HpcErrorKind.Internal;
    }

    [GeneratedRegex(@"invalid|not allowed|unable to open|too long|does not look like a batch script", RegexOptions.IgnoreCase)]
    private static partial Regex SubmissionInvalid();

    [GeneratedRegex(@"No such file or directory|Invalid job id|Unknown Job Id", RegexOptions.IgnoreCase)]
    private static partial Regex NotFound();

    [GeneratedRegex(@"Disk quota exceeded|No space left on device|(QOS|Assoc)(Max|Min|Grp)\w*Limit", RegexOptions.IgnoreCase)]
    private static partial Regex Quota();

    [GeneratedRegex(@"Permission denied|Operation not permitted|Access denied|User denied|Unauthorized", RegexOptions.IgnoreCase)]
    private static partial Regex Denied();

    [GeneratedRegex(@"File exists|Directory not empty", RegexOptions.IgnoreCase)]
    private static partial Regex Exists();

    [GeneratedRegex(@"Is a directory|Not a directory|invalid user|invalid group|invalid option|unrecognized option|unknown queue|illegal|Invalid argument|unable to open file|Requested node configuration is not available|already completing or completed", RegexOptions.IgnoreCase)]
    private static partial Regex Invalid();
}
