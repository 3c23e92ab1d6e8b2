using Firecrest.Core.Models;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Ssh;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.FileSystem;

/// <summary>
/// RemoteFileSystem over the real local sshd (DirectSshShell), with the file systems of the demo config (/home, /scratch),
/// its 1 MiB ops limit and a fresh working directory /home/fireuser/fs-it-&lt;uuid&gt; that is removed afterwards.
/// </summary>
public sealed class RemoteFileSystemFixture : IAsyncLifetime
{
    public static readonly UserIdentity User = new("fireuser");
    public static readonly UserIdentity OtherUser = new("fireuser2");

    public DirectSshShell Shell { get; } = new();

    public ClusterSettings Cluster { get; } = new()
    {
        // Built by hand from the demo config (.testenv/firecrest.yaml) so the test does not depend on the YAML loader.
        Name = "cluster",
        Ssh = new SshSettings { Timeout = new SshTimeoutSettings { CommandExecution = 10 } },
        FileSystems =
        [
            new FileSystemSettings { Path = "/home", DataType = FileSystemDataType.Users, DefaultWorkDir = true },
            new FileSystemSettings { Path = "/scratch", DataType = FileSystemDataType.Scratch },
        ],
        DataOperation = new DataOperationSettings { MaxOpsFileSize = 1024 * 1024 },
    };

    public RemoteFileSystem Fs => new(Shell, Cluster);

    /// <summary>The per-run working directory (no trailing slash).</summary>
    public string Root { get; } = $"/home/fireuser/fs-it-{Guid.NewGuid():N}";

    /// <summary>Runs a raw setup command as fireuser; fails the test on a non-zero exit status.</summary>
    public async Task<string> ShAsync(string commandLine, UserIdentity? user = null)
    {
        var r = await Shell.RunAsync(Cluster.Name, user ?? User, new RemoteCommand(commandLine), CancellationToken.None);
        if (r.ExitStatus != 0) throw new InvalidOperationException($"setup command failed ({r.ExitStatus}): {commandLine}\n{r.Stderr}");
        return r.Stdout;
    }

    /// <summary>Makes a fresh sub-directory of <see cref="Root"/> and returns its path.</summary>
    public async Task<string> NewDirAsync(string name)
    {
        var dir = $"{Root}/{name}-{Guid.NewGuid().ToString("N")[..8]}";
        await ShAsync($"mkdir -p -- {ShellQuote.Quote(dir)}");
        return dir;
    }

    public Task InitializeAsync() => ShAsync($"mkdir -p -- {ShellQuote.Quote(Root)}");

    public async Task DisposeAsync()
    {
        await ShAsync($"chmod -R u+rwx -- {ShellQuote.Quote(Root)}; rm -rf -- {ShellQuote.Quote(Root)}");
        Shell.Dispose();
    }
}
