using System.Diagnostics;
using System.Text.Json;
using Firecrest.Tests.Support;

namespace Firecrest.Integration.Tests.Server;

/// <summary>
/// The garbage collector's settings the server runs with, read from the line it logs at start (event
/// <c>GarbageCollector</c>), on the server as a process (<see cref="ServerBinary"/>: the built Firecrest.Server.dll, or
/// the native server): the project's 8 MiB youngest-generation budget, and the environment variables
/// docs/deployment.md names to change it and the collector.
/// </summary>
[Trait("Server", "Process")]
public sealed class GarbageCollectorSettingsTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_server_runs_the_concurrent_workstation_collector_with_an_8_MiB_youngest_generation()
    {
        var settings = await LoggedSettingsAsync(new Dictionary<string, string>());

        Assert.Equal("workstation", settings.GetProperty("Collector").GetString());
        Assert.True(settings.GetProperty("Concurrent").GetBoolean());
        Assert.Equal(8L << 20, settings.GetProperty("Gen0BudgetBytes").GetInt64());
        Assert.Equal(0, settings.GetProperty("HeapHardLimitBytes").GetInt64());
    }

    [Fact]
    public async Task The_environment_variables_of_the_deployment_guide_change_the_budget_and_the_collector()
    {
        var settings = await LoggedSettingsAsync(new Dictionary<string, string>
        {
            ["DOTNET_GCGen0MaxBudget"] = "1000000",
            ["DOTNET_gcServer"] = "1",
        });

        Assert.Equal("server", settings.GetProperty("Collector").GetString());
        Assert.Equal(16L << 20, settings.GetProperty("Gen0BudgetBytes").GetInt64());
    }

    /// <summary>Starts the server with the cluster's configuration and <paramref name="environment"/>, and returns the
    /// state of its <c>GarbageCollector</c> log line; the server is stopped before this returns.</summary>
    private static async Task<JsonElement> LoggedSettingsAsync(Dictionary<string, string> environment)
    {
        var psi = ServerBinary.StartInfo();
        psi.Environment["YAML_CONFIG_FILE"] = TestCluster.Current.ConfigPath;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPort.Free()}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("the server did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                seen.Add(line);
                if (!line.StartsWith('{')) continue;
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("EventId", out var id) && id.GetInt32() == 3
                    && entry.RootElement.GetProperty("Category").GetString() == "Firecrest.Server.Hosting.GarbageCollectorLog")
                    return entry.RootElement.GetProperty("State").Clone();
            }
            throw new InvalidOperationException($"the server exited without logging its garbage collector:\n{string.Join('\n', seen.TakeLast(30))}\n{await errors}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no GarbageCollector line within {StartTimeout}:\n{string.Join('\n', seen.TakeLast(30))}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
