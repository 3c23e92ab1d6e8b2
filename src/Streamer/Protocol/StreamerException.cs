using System.Net.WebSockets;

namespace Firecrest.Streamer;

/// <summary>A transfer that failed, with the close code and error name the peer sees (or saw).</summary>
/// <param name="status">Close code: 1009 over the inbound limit, 3003 file missing or existing, 1011 anything else.</param>
/// <param name="error">Error name as in the close reason (e.g. <c>FileExistsError</c>).</param>
/// <param name="message">What happened, for a person.</param>
internal sealed class StreamerException(WebSocketCloseStatus status, string error, string message) : Exception(message)
{
    public WebSocketCloseStatus Status { get; } = status;

    public string Error { get; } = error;
}
