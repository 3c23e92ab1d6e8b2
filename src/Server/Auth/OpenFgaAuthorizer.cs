using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Server.Apis;

namespace Firecrest.Server.Auth;

/// <summary>
/// The optional OpenFGA check (<c>auth.authorization.url</c>): may the caller use the requested system? Unlike upstream
/// it reads the answer's <c>allowed</c> field, so <c>allowed: false</c> denies (see docs/differences.md); every failure
/// is answered as upstream does: 401 "Unable to verify system access authorization".
/// </summary>
public sealed class OpenFgaAuthorizer(FirecrestSettings settings, IHttpClientFactory httpClients, ILogger<OpenFgaAuthorizer> logger)
{
    /// <summary>Name of the HTTP client used for the checks.</summary>
    public const string HttpClientName = "openfga";

    /// <summary>The upstream message of every authorisation failure.</summary>
    public const string FailureMessage = "Unable to verify system access authorization";

    /// <summary>True when authorisation is configured.</summary>
    public bool IsEnabled => !string.IsNullOrEmpty(settings.Auth.Authorization?.Url);

    /// <summary>Checks that <paramref name="user"/> is a member of <paramref name="system"/>; throws 401 otherwise.</summary>
    public async Task EnsureAllowedAsync(UserIdentity user, string system, CancellationToken cancellationToken)
    {
        var config = settings.Auth.Authorization;
        if (config is null || string.IsNullOrEmpty(config.Url)) return;
        bool allowed;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(config.Timeout > 0 ? config.Timeout : 1));
            using var request = new HttpRequestMessage(HttpMethod.Post, config.Url)
            {
                Content = JsonContent.Create(new CheckRequest($"user:{user.Username}", "member", $"vcluster:{system}"), ServerJsonContext.Default.CheckRequest),
            };
            if (user.AccessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"OpenFGA answered {(int)response.StatusCode}");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            allowed = doc.RootElement.TryGetProperty("allowed", out var a) && a.ValueKind == JsonValueKind.True;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Authorization check for {User} on {System} failed: {Error}", user.Username, system, ex.Message);
            throw new HpcException(HpcErrorKind.Unauthenticated, FailureMessage);
        }
        if (!allowed) throw new HpcException(HpcErrorKind.Unauthenticated, FailureMessage);
    }

    /// <summary>The body of OpenFGA's check: <c>{"user":…,"relation":…,"object":…}</c>.</summary>
    internal sealed record CheckRequest(string User, string Relation, string Object);
}
