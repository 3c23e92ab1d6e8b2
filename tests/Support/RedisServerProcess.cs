using System.Diagnostics;
using System.Net.Sockets;

namespace Firecrest.Tests.Support;

/// <summary>
/// Our own redis-server (Debian's, installed by deploy/testenv/install.sh) on a loopback port (<c>FIRECREST_TEST_REDIS_PORT</c>,
/// else a free one), without persistence, in a temporary directory; disposing stops it by its pid and removes the directory.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private RedisServerProcess(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server and waits (up to 30 s) until it accepts connections.</summary>
    public static async Task<RedisServerProcess> StartAsync(int? port = null)
    {
        var chosen = port ?? (int.TryParse(Environment.GetEnvironmentVariable("FIRECREST_TEST_REDIS_PORT"), out var p) ? p : LoopbackPort.Free());
        var dir = Directory.CreateTempSubdirectory("firecrest-redis-").FullName;
        var psi = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no" })
            psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run deploy/testenv/install.sh", e);
        }
        var tail = ProcessOutputTail.Attach(process);
        var server = new RedisServerProcess(process, dir, chosen);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException($"redis-server exited ({process.ExitCode}) on port {chosen}: {tail.Text()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", chosen);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops it at once (SIGKILL by pid), as when Redis dies.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
