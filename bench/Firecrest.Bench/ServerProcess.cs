using System.Diagnostics;
using System.Net;
using Firecrest.Tests.Support;

namespace Firecrest.Bench;

/// <summary>
/// The REST server as a real process (the native <c>Firecrest.Server</c> or <c>dotnet Firecrest.Server.dll</c>) on a free loopback port, configured by the
/// cluster's YAML, with the per-user rate limit raised so that the benchmark measures the server and not its limiter.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>Rate limit given to the benchmarked server (requests per second and burst, per user).</summary>
    public const int BenchRateLimit = 1_000_000;

    private readonly Process _process;
    private readonly ProcessOutputTail _tail;

    private ServerProcess(Process process, Uri baseUrl, long startTimestamp)
    {
        _process = process;
        _tail = ProcessOutputTail.Attach(process);
        BaseUrl = baseUrl;
        StartTimestamp = startTimestamp;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUrl { get; }

    /// <summary>Process id.</summary>
    public int Pid => _process.Id;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartTimestamp { get; }

    /// <summary>Starts the server (does not wait for it); <paramref name="environment"/> is set last (<c>--server-env</c>).</summary>
    public static ServerProcess Start(string serverPath, string yamlConfig, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = LoopbackPort.Free();
        var psi = ServerBinary.StartInfo(serverPath);
        psi.Environment["YAML_CONFIG_FILE"] = yamlConfig;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Server__RateLimitPerSecond"] = BenchRateLimit.ToString();
        psi.Environment["Server__RateLimitBurst"] = BenchRateLimit.ToString();
        // The per-address limit in front of authentication too: all benchmark clients share 127.0.0.1.
        psi.Environment["Server__PreAuthRateLimitPerSecond"] = BenchRateLimit.ToString();
        psi.Environment["Server__PreAuthRateLimitBurst"] = BenchRateLimit.ToString();
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        var t0 = Stopwatch.GetTimestamp();
        var p = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        return new ServerProcess(p, new Uri($"http://127.0.0.1:{port}/"), t0);
    }

    /// <summary>The command line that starts <paramref name="server"/>, for the report (Markdown code).</summary>
    public static string Command(string server) =>
        ServerBinary.IsNative(server) ? $"`./{Path.GetFileName(server)}`" : $"`dotnet {Path.GetFileName(server)}`";

    /// <summary>The last lines the server wrote (diagnostics).</summary>
    public string Tail() => _tail.Text();

    /// <summary>Peak resident set (VmHWM) and current resident set (VmRSS) in MiB, from /proc/PID/status.</summary>
    public (double PeakMiB, double CurrentMiB) Memory()
    {
        double hwm = double.NaN, rss = double.NaN;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line) / 1024.0;
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line) / 1024.0;
        }
        return (hwm, rss);
    }

    /// <summary>
    /// Starts a new peak: the kernel sets VmHWM back to the current resident set (writing 5 to /proc/PID/clear_refs, which
    /// needs the process's owner or root). False when the kernel refused, so that the peak still counts from the start.
    /// </summary>
    public bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="path"/> every 5 ms until it answers 200; returns the time since the start.</summary>
    public async Task<TimeSpan> WaitFor200Async(HttpClient http, string path, string? token, TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Tail()}");
            if (Stopwatch.GetTimestamp() > until) throw new TimeoutException($"no 200 from {path} within {limit.TotalSeconds:0} s:\n{Tail()}");
            try
            {
                using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, path));
                if (token is not null) req.Headers.Authorization = new("Bearer", token);
                using var resp = await http.SendAsync(req, cancellationToken);
                if (resp.StatusCode == HttpStatusCode.OK) return Stopwatch.GetElapsedTime(StartTimestamp);
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // one poll timed out (busy machine); poll again
            }
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        _process.Dispose();
    }

    private static double Kb(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
