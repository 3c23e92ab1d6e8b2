using Firecrest.Tests.Support;

namespace Firecrest.Bench.Items;

/// <summary>Item 6: server process start to the first 200 of /status/liveness/ and of an authenticated /status/systems.</summary>
public static class ColdStart
{
    /// <summary>Starts and stops the server a few times, then leaves one running in <see cref="BenchContext.Server"/>.</summary>
    public static async Task RunAsync(BenchContext ctx, string serverPath, string yaml, CancellationToken ct)
    {
        var runs = ctx.Options.Pick(3, 1);
        var live = new List<double>();
        var systems = new List<double>();
        using var poll = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < runs + 1; i++)
        {
            var token = await ctx.Tokens.ForAsync(ctx.User1, ct);
            var server = ServerProcess.Start(serverPath, yaml, ctx.Options.ServerEnvironment);
            try
            {
                var l = await server.WaitFor200Async(poll, "status/liveness/", null, TimeSpan.FromSeconds(90), ct);
                var s = await server.WaitFor200Async(poll, "status/systems", token, TimeSpan.FromSeconds(90), ct);
                // The first start warms the OS file cache for the others and is not counted.
                if (i > 0)
                {
                    live.Add(l.TotalMilliseconds);
                    systems.Add(s.TotalMilliseconds);
                }
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            if (i < runs) await server.DisposeAsync();
            else ctx.Server = server;
        }
        // One value per start under one measure: the report gives their median with min–max.
        foreach (var v in live) ctx.Report.Single("6", $"Cold start → first 200 of /status/liveness/ (median of {runs} starts)", v, " ms", "0", "—", null);
        foreach (var v in systems) ctx.Report.Single("6", $"Cold start → first 200 of authenticated /status/systems (median of {runs} starts)", v, " ms", "0", "≤ 600 ms", m => m <= 600);
        ctx.Report.Note("6", $"Time from Process.Start of {ServerProcess.Command(serverPath)} ({Build(serverPath)}) to the first 200, polling every 5 ms; one untimed start first warms the file cache. Samples (liveness): {string.Join(", ", live.Select(v => Report.Num(v, "0")))} ms; (systems): {string.Join(", ", systems.Select(v => Report.Num(v, "0")))} ms.");
    }

    /// <summary>What kind of build the server is: native (as build.ps1 bench and pack publish it), composite ReadyToRun with the framework, ReadyToRun, or IL only.</summary>
    internal static string Build(string serverPath)
    {
        if (ServerBinary.IsNative(serverPath)) return "Native AOT publish";
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(serverPath));
        var readyToRun = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        if (!readyToRun) return "IL-only build, not ReadyToRun";
        var composite = Path.ChangeExtension(serverPath, ".r2r.dll");
        return File.Exists(composite) ? "self-contained composite ReadyToRun publish" : "ReadyToRun publish";
    }

    /// <summary>Starts the server once, unmeasured, for a run that skips this item (<c>--only</c>).</summary>
    public static async Task StartOnceAsync(BenchContext ctx, string serverPath, string yaml, CancellationToken ct)
    {
        using var poll = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var server = ServerProcess.Start(serverPath, yaml, ctx.Options.ServerEnvironment);
        try
        {
            await server.WaitFor200Async(poll, "status/liveness/", null, TimeSpan.FromSeconds(90), ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        ctx.Server = server;
    }
}
