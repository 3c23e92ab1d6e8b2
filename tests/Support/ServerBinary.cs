using System.Diagnostics;

namespace Firecrest.Tests.Support;

/// <summary>
/// The REST server that process tests start: the natively compiled server named by <c>FIRECREST_SERVER</c> (as
/// <c>build.ps1 test</c> sets it for its second pass, see <see cref="Variable"/>), else the built
/// <c>Firecrest.Server.dll</c> of the test's own configuration.
/// </summary>
public static class ServerBinary
{
    /// <summary>Environment variable naming a server to test instead of the built one: an executable or a <c>.dll</c>.</summary>
    public const string Variable = "FIRECREST_SERVER";

    /// <summary>The server's path (checked to exist).</summary>
    public static string Path
    {
        get
        {
            var given = Environment.GetEnvironmentVariable(Variable);
            // The tests run from tests/<Project>/bin/<Configuration>/net10.0.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = string.IsNullOrWhiteSpace(given)
                ? RepositoryRoot.Combine("src", "Server", "bin", configuration, "net10.0", "Firecrest.Server.dll")
                : System.IO.Path.GetFullPath(given);
            if (!File.Exists(path))
                throw new InvalidOperationException(string.IsNullOrWhiteSpace(given)
                    ? $"no built server at {path} (the test project references it, so building the tests builds it)"
                    : $"{Variable} names {path}, which does not exist");
            return path;
        }
    }

    /// <summary>True when <paramref name="path"/> is an executable rather than an assembly that <c>dotnet</c> runs.</summary>
    public static bool IsNative(string path) => !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>How to start the server at <see cref="Path"/>, from its own folder, with its output redirected.</summary>
    public static ProcessStartInfo StartInfo() => StartInfo(Path);

    /// <summary>How to start the server at <paramref name="path"/> (an executable or a <c>.dll</c>), from its own folder,
    /// with its output redirected.</summary>
    public static ProcessStartInfo StartInfo(string path)
    {
        var psi = new ProcessStartInfo(IsNative(path) ? path : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = System.IO.Path.GetDirectoryName(path)!,
        };
        if (!IsNative(path)) psi.ArgumentList.Add(path);
        return psi;
    }
}
