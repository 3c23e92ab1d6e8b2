using System.Net;
using System.Net.WebSockets;
using Firecrest.Streamer;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>
/// Finds the transfer job's streamer from its coordinates: every address in order, each port of the range in order,
/// with the secret as a bearer token. A port that refuses the connection, or answers the upgrade with an HTTP error
/// (401/403: another transfer's streamer; 409: one that is busy), is skipped, as pyFirecREST's client does.
/// </summary>
internal static class StreamerConnector
{
    /// <summary>One connect attempt's bound (a port that neither accepts nor refuses).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One pass over the coordinates: the open socket, or null and what the ports that answered said.</summary>
    public static async Task<(WebSocket? Socket, IReadOnlyList<string> Refusals)> TryConnectAsync(StreamerCoordinates coordinates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        var refusals = new List<string>();
        foreach (var ip in coordinates.Ips)
        {
            var host = IPAddress.TryParse(ip, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;
            for (var port = coordinates.Ports[0]; port <= coordinates.Ports[1]; port++)
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Authorization", $"Bearer {coordinates.Secret}");
                socket.Options.KeepAliveInterval = StreamerProtocol.KeepAliveInterval;
                socket.Options.CollectHttpResponseDetails = true;
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(new Uri($"ws://{host}:{port}/"), attempt.Token).ConfigureAwait(false);
                    return (socket, refusals);
                }
                catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    var status = (int)socket.HttpStatusCode;
                    if (status != 0) refusals.Add($"{ip}:{port} answered HTTP {status}{Meaning(status)}");
                    socket.Dispose();
                }
            }
        }
        return (null, refusals);
    }

    private static string Meaning(int status) => status switch
    {
        401 => " (no secret)",
        403 => " (wrong secret: another transfer's streamer, or these coordinates are not this job's)",
        409 => " (its one transfer already started)",
        _ => "",
    };
}
