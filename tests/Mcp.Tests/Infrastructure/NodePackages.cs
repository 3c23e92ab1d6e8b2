using System.Collections.Concurrent;
using System.Diagnostics;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>
/// The npm packages the tests drive (tests/Mcp.Tests/inspector: the Inspector CLI; tests/Mcp.Tests/sdkclient: the
/// official TypeScript SDK client), each pinned by its package-lock.json and installed with <c>npm ci</c> when missing.
/// </summary>
internal static class NodePackages
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Installs = new(StringComparer.Ordinal);

    /// <summary>The folder of the package <paramref name="name"/> under tests/Mcp.Tests.</summary>
    public static string Folder(string name) => Path.Combine(McpServerBinary.RepositoryRoot, "tests", "Mcp.Tests", name);

    /// <summary>Installs the package folder <paramref name="name"/> unless its node_modules exists; returns the folder.</summary>
    public static async Task<string> EnsureInstalledAsync(string name)
    {
        var folder = Folder(name);
        var gate = Installs.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(folder, "node_modules"))) return folder;
            var psi = new ProcessStartInfo("npm") { WorkingDirectory = folder };
            foreach (var a in new[] { "ci", "--no-audit", "--no-fund" }) psi.ArgumentList.Add(a);
            var (exit, _, stderr) = await RunAsync(psi, TimeSpan.FromMinutes(3));
            if (exit != 0) throw new InvalidOperationException($"npm ci in {folder} failed ({exit}): {stderr}");
            return folder;
        }
        finally { gate.Release(); }
    }

    /// <summary>Runs the pinned Inspector CLI (<c>mcp-inspector --cli</c>) with <paramref name="arguments"/>.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> InspectorAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var folder = await EnsureInstalledAsync("inspector");
        var psi = new ProcessStartInfo(Path.Combine(folder, "node_modules", ".bin", "mcp-inspector"));
        psi.ArgumentList.Add("--cli");
        // The default 15 s to connect is less than a stdio server's start took once on a loaded 2-core machine.
        psi.ArgumentList.Add("--connect-timeout");
        psi.ArgumentList.Add("60000");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return await RunAsync(psi, timeout ?? TimeSpan.FromSeconds(150));
    }

    /// <summary>Runs <paramref name="psi"/> (output captured) and kills it after <paramref name="timeout"/>.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var process = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} did not finish in {timeout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
