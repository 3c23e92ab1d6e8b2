using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// <c>SSHService</c>: the upstream FirecREST SSH key service. <c>POST {url}/api/v1/ssh-keys</c> with the user's bearer
/// token and <c>{"duration":"1min","username":u}</c>; expects 201 <c>{"sshKey":{"privateKey","publicKey"}}</c> where
/// publicKey is the certificate.
/// </summary>
public sealed class SshKeyServiceCredentialProvider : ISshCredentialProvider
{
    /// <summary>Lifetime requested from the service.</summary>
    public const string Duration = "1min";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider for the service at <paramref name="serviceUrl"/>.</summary>
    public SshKeyServiceCredentialProvider(HttpClient http, string serviceUrl, TimeProvider? time = null)
    {
        _http = http;
        if (!Uri.TryCreate(serviceUrl.TrimEnd('/') + "/api/v1/ssh-keys", UriKind.Absolute, out var endpoint))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"ssh_credentials.url '{serviceUrl}' is not an absolute URL.");
        _endpoint = endpoint;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Optional: headers added to each request; by default the ids of the API request being served (<see cref="RequestIds"/>).</summary>
    public Func<IEnumerable<KeyValuePair<string, string>>>? ExtraHeaders { get; init; }

    /// <inheritdoc/>
    public async Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user.AccessToken))
            throw new HpcException(HpcErrorKind.Unauthenticated, "The SSH key service needs the user's access token, and none was given.");
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(new KeyRequest(Duration, user.Username), CoreJsonContext.Default.KeyRequest),
        };
        request.Headers.Authorization = new("Bearer", user.AccessToken);
        request.Headers.Add("x-client-type", "api");
        request.Headers.Add("x-client-name", "firecrest");
        request.Headers.Add("x-client-version", "2.x.x");
        foreach (var (k, v) in ExtraHeaders?.Invoke() ?? RequestIds.Headers) request.Headers.TryAddWithoutValidation(k, v);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var requestedAt = _time.GetUtcNow();
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
                throw new HpcException(HpcErrorKind.Internal, $"The SSH key service answered {(int)response.StatusCode} for user '{user.Username}': {Truncate(body)}") { StatusCode = (int)response.StatusCode };
            var parsed = JsonSerializer.Deserialize(body, CoreJsonContext.Default.KeyResponse);
            if (parsed?.SshKey?.PrivateKey is not { Length: > 0 } privateKey)
                throw new HpcException(HpcErrorKind.Internal, "The SSH key service answered without sshKey.privateKey.");
            var cert = string.IsNullOrWhiteSpace(parsed.SshKey.PublicKey) ? null : parsed.SshKey.PublicKey.Trim();
            var isCert = cert is not null && cert.Split(' ')[0].Contains("-cert-", StringComparison.Ordinal);
            var expires = (isCert ? OpenSshCertificate.TryReadValidBefore(cert!) : null) ?? requestedAt.AddMinutes(1);
            return new SshCredential(privateKey, null, isCert ? cert : null, expires);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The SSH key service did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The SSH key service request failed: {e.Message}", e);
        }
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    internal sealed record KeyRequest([property: JsonPropertyName("duration")] string Duration, [property: JsonPropertyName("username")] string Username);

    internal sealed record KeyResponse([property: JsonPropertyName("sshKey")] KeyPair? SshKey);

    internal sealed record KeyPair([property: JsonPropertyName("privateKey")] string? PrivateKey, [property: JsonPropertyName("publicKey")] string? PublicKey);
}
