using System.Net;
using System.Net.Sockets;

namespace Firecrest.Tests.Support;

/// <summary>Free TCP ports on 127.0.0.1 for the servers a test starts itself.</summary>
public static class LoopbackPort
{
    private const int LowestPort = 28_000; // above the cluster's default service and streamer ports
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port that was free a moment ago, below the kernel's ephemeral range when it can be: a port the OS hands out for
    /// port 0 comes from the range every outgoing connection also draws from, so one of the suite's many SSH or HTTP
    /// connections could take it between this call and the server's bind. No port is handed out twice in a process.
    /// </summary>
    public static int Free()
    {
        var ephemeralLow = EphemeralRangeLow();
        lock (HandedOut)
        {
            for (var attempt = 0; ephemeralLow > LowestPort + 1000 && attempt < 100; attempt++)
            {
                var port = Random.Shared.Next(LowestPort, ephemeralLow);
                if (!HandedOut.Contains(port) && CanBind(port) && HandedOut.Add(port)) return port;
            }
            int fromOs;
            do fromOs = FromOs(); while (!HandedOut.Add(fromOs));
            return fromOs;
        }
    }

    private static bool CanBind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int FromOs()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int EphemeralRangeLow()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
