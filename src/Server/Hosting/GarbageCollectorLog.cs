using System.Globalization;

namespace Firecrest.Server.Hosting;

/// <summary>
/// Logs the garbage collector's settings once at start (event <c>GarbageCollector</c>), as the runtime resolved them
/// from the project's defaults and the <c>DOTNET_GC*</c> environment variables. The native server reads a number in
/// those variables as hexadecimal digits without a <c>0x</c> prefix and ignores, without a word, a value it cannot
/// read: this line is where an operator sees whether a setting took effect (docs/deployment.md).
/// </summary>
internal sealed partial class GarbageCollectorLog(ILogger<GarbageCollectorLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = GC.GetConfigurationVariables();
        Settings(logger, Flag(settings, "ServerGC") ? "server" : "workstation", Flag(settings, "ConcurrentGC"),
            Number(settings, "GCGen0MaxBudget"), Number(settings, "GCHeapHardLimit"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool Flag(IReadOnlyDictionary<string, object> settings, string name) =>
        settings.TryGetValue(name, out var value) && Convert.ToBoolean(value, CultureInfo.InvariantCulture);

    private static long Number(IReadOnlyDictionary<string, object> settings, string name) =>
        settings.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    [LoggerMessage(EventId = 3, EventName = "GarbageCollector", Level = LogLevel.Information,
        Message = "Garbage collector: {Collector}, concurrent {Concurrent}, youngest generation budget {Gen0BudgetBytes} bytes, heap hard limit {HeapHardLimitBytes} bytes (0: none)")]
    private static partial void Settings(ILogger logger, string collector, bool concurrent, long gen0BudgetBytes, long heapHardLimitBytes);
}
