using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>
/// <c>SSHCA</c> (DeiC SSH CA over HTTP): the engine makes an ed25519 key pair and has its public key signed with
/// <c>POST {url}/sign {"PublicKey":…,"OTT":&lt;user JWT&gt;}</c>; a 200 answer holds the certificate as text.
/// </summary>
public sealed class RemoteCaCredentialProvider : ISshCredentialProvider
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <summary>Creates the provider for the CA at <paramref name="serviceUrl"/>.</summary>
    public RemoteCaCredentialProvider(HttpClient http, string serviceUrl)
    {
        _http = http;
        if (!Uri.TryCreate(serviceUrl.TrimEnd('/') + "/sign", UriKind.Absolute, out var endpoint))
            throw new HpcException(HpcErrorKind.InvalidArgument, $"ssh_credentials.url '{serviceUrl}' is not an absolute URL.");
        _endpoint = endpoint;
    }

    /// <inheritdoc/>
    public async Task<SshCredential> GetCredentialAsync(UserIdentity user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user.AccessToken))
            throw new HpcException(HpcErrorKind.Unauthenticated, "The SSH CA needs the user's access token, and none was given.");
        using var key = CertifiableEd25519Key.Create();
        var publicLine = key.PublicKeyLine;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = JsonContent.Create(new SignRequest(publicLine, user.AccessToken), CoreJsonContext.Default.SignRequest) };
            foreach (var (k, v) in RequestIds.Headers) request.Headers.TryAddWithoutValidation(k, v);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false)).Trim();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new HpcException(HpcErrorKind.Internal, $"The SSH CA answered {(int)response.StatusCode} for user '{user.Username}'.") { StatusCode = (int)response.StatusCode };
            var expires = OpenSshCertificate.TryReadValidBefore(body)
                ?? throw new HpcException(HpcErrorKind.Internal, "The SSH CA did not answer with an OpenSSH certificate.");
            return new SshCredential(key.ToOpenSshPrivateKey(user.Username), null, body, expires);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The SSH CA did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            throw new HpcException(HpcErrorKind.Internal, $"The SSH CA request failed: {e.Message}", e);
        }
    }

    internal sealed record SignRequest([property: JsonPropertyName("PublicKey")] string PublicKey, [property: JsonPropertyName("OTT")] string Ott);
}
