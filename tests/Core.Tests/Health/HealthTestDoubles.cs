using System.Net;
using System.Text;
using Firecrest.Core.Ssh;

namespace Firecrest.Core.Tests.Health;

/// <summary>
/// Wraps a shell: commands containing <c>match</c> never answer (the token is ignored, like a stuck connection); records
/// users; calls the inner shell one at a time (TranscriptShell is not thread-safe).
/// </summary>
internal sealed class HangingShell(IRemoteShell inner, string? match = null) : IRemoteShell
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public List<(string System, string User, string Command)> Calls { get; } = [];

    public async Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
    {
        lock (Calls) Calls.Add((system, user.Username, command.CommandLine));
        if (match is not null && command.CommandLine.Contains(match, StringComparison.Ordinal))
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await inner.RunAsync(system, user, command, cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }
}

/// <summary>A shell that throws the given error for every command.</summary>
internal sealed class FailingShell(Exception error) : IRemoteShell
{
    public Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken) =>
        Task.FromException<RemoteCommandResult>(error);
}

/// <summary>An HTTP handler answering from a function and recording requests (with their bodies).</summary>
internal sealed class FakeHttpHandler(Func<HttpRequestMessage, string, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>An unsigned JWT whose payload is <paramref name="payloadJson"/>.</summary>
    public static string Jwt(string payloadJson) =>
        $"{B64("{\"alg\":\"none\"}")}.{B64(payloadJson)}.sig";

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests) Requests.Add((request, body));
        return await answer(request, body);
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public void Advance(TimeSpan by) => _now += by;

    public override DateTimeOffset GetUtcNow() => _now;
}
