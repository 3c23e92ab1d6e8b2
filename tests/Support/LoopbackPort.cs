using System.Net;
using System.Net.Sockets;

namespace Firecrest.Tests.Support;

/// <summary>Free TCP ports on 127.0.0.1 for the servers a test starts itself.</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS just handed out and released (free unless something else takes it first).</summary>
    public static int Free()
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
}
