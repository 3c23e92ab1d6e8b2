using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Firecrest.Mcp.Tests.Infrastructure;

/// <summary>Runs sdkclient/drive.mjs (the official TypeScript SDK client) on a spec and returns its report.</summary>
internal static class SdkClientDriver
{
    /// <summary>Writes <paramref name="spec"/> to a temporary file, runs the driver on it and parses the report it prints.</summary>
    public static async Task<JsonElement> RunAsync(JsonObject spec, TimeSpan timeout)
    {
        var folder = await NodePackages.EnsureInstalledAsync("sdkclient");
        var path = Path.Combine(Path.GetTempPath(), $"mcp-sdk-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, spec.ToJsonString());
        try
        {
            var psi = new ProcessStartInfo("node") { WorkingDirectory = folder };
            psi.ArgumentList.Add(Path.Combine(folder, "drive.mjs"));
            psi.ArgumentList.Add(path);
            var (exit, stdout, stderr) = await NodePackages.RunAsync(psi, timeout);
            if (exit != 0) throw new InvalidOperationException($"drive.mjs exited {exit}: {stderr}");
            return JsonDocument.Parse(stdout).RootElement.Clone();
        }
        finally { File.Delete(path); }
    }
}
