using Firecrest.Core.Models;
using System.Text;
using System.Text.Json;
using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.FileSystem;

/// <summary>A cluster with /home and /scratch, a 5 s command timeout and a 5 MiB ops limit (upstream defaults).</summary>
internal static class FsTestSettings
{
    public static readonly UserIdentity User = new("fireuser");

    public static ClusterSettings Cluster(long maxOpsFileSize = 5 * 1024 * 1024) => new()
    {
        Name = "cluster-slurm-ssh",
        Ssh = new SshSettings { Timeout = new SshTimeoutSettings { CommandExecution = 5 } },
        FileSystems =
        [
            new FileSystemSettings { Path = "/home", DataType = FileSystemDataType.Users, DefaultWorkDir = true },
            new FileSystemSettings { Path = "/scratch", DataType = FileSystemDataType.Scratch },
        ],
        DataOperation = new DataOperationSettings { MaxOpsFileSize = maxOpsFileSize },
    };

    public static RemoteFileSystem Fs(TranscriptShell shell, long maxOpsFileSize = 5 * 1024 * 1024) => new(shell, Cluster(maxOpsFileSize));

    /// <summary>The recorded stdout of a transcript (for commands whose line differs from the transcript's match key).</summary>
    public static string RecordedStdout(string name) => Fixtures.Transcript(name).Stdout;
}
