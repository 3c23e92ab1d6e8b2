using Firecrest.Core.Errors;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.FileSystem;

/// <summary>Turns a failed file-operation command into a typed <see cref="HpcException"/> (upstream's stderr → status mapping).</summary>
public static class RemoteErrorMapper
{
    /// <summary>Throws the mapped error when <paramref name="result"/> has a non-zero exit status; otherwise returns.</summary>
    public static void ThrowIfFailed(RemoteCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ExitStatus != 0) throw ToException(result);
    }

    /// <summary>
    /// The error for a failed command, its kind from <see cref="RemoteErrorClassifier"/>. Message:
    /// <c>Remote process failed with exit status:N and error message:…</c>. A refusal of the path resolution that ran
    /// before the command is a <see cref="PathRefusedException"/>.
    /// </summary>
    public static HpcException ToException(RemoteCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (ResolvedPathGuard.ReadRefusal(result.ExitStatus, result.Stderr) is { } refused) return refused;
        var stderr = result.Stderr ?? "";
        var message = $"Remote process failed with exit status:{result.ExitStatus}";
        if (stderr.Length > 0) message += $" and error message:{stderr.Trim()}";
        var kind = RemoteErrorClassifier.Classify(result.ExitStatus, stderr);
        return new HpcException(kind, message) { ExitStatus = result.ExitStatus, Stderr = stderr };
    }
}
