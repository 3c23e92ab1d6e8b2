using System.Diagnostics;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Faults;

/// <summary>
/// Stops and restarts services of the local cluster for fault tests, only through deploy/testenv/cluster.sh (which
/// stops only what its own <c>up</c> started). Fault tests run in their own phase of <c>build.ps1 test</c>, alone.
/// </summary>
public static class ClusterControl
{
    /// <summary>Path of cluster.sh in this checkout.</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "testenv", "cluster.sh");
                if (File.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("deploy/testenv/cluster.sh not found above the test folder");
        }
    }

    /// <summary>Stops one service (<c>sshd</c>, <c>slurmctld</c>, <c>s3rver</c>, <c>oidc</c>, …).</summary>
    public static Task StopAsync(string service) => RunAsync($"bash {Quote(Script)} stop {service}");

    /// <summary>Brings every stopped service back (idempotent <c>up</c>).</summary>
    public static Task UpAsync() => RunAsync($"bash {Quote(Script)} up");

    /// <summary>Ends the sessions of the test sshd (its per-connection children), so pooled connections die too.</summary>
    public static Task DropSshSessionsAsync()
    {
        var pidFile = Path.Combine(TestCluster.Current["TESTENV_DIR"], "pids", "sshd.pid");
        return RunAsync($"[ -s {Quote(pidFile)} ] && pkill -P \"$(cat {Quote(pidFile)})\" || true");
    }

    /// <summary>Runs a local bash command and fails with its output when it exits non-zero.</summary>
    public static async Task RunAsync(string command)
    {
        var psi = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' exited {p.ExitCode}: {await stdout} {await stderr}");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
