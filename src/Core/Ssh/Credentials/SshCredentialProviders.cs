using Firecrest.Core.Configuration;

namespace Firecrest.Core.Ssh.Credentials;

/// <summary>Creates the credential provider that <c>ssh_credentials</c> describes, wrapped in a per-user cache.</summary>
public static class SshCredentialProviders
{
    /// <summary>
    /// <c>SSHStaticKeys</c> → static keys; <c>SSHCA</c> with <c>ca_private_key</c> → the engine's own CA, otherwise the
    /// remote CA at <c>url</c>; <c>SSHService</c> → the key service at <c>url</c>.
    /// </summary>
    public static ISshCredentialProvider Create(SshCredentialsSettings settings, HttpClient? http = null, TimeProvider? time = null)
    {
        ISshCredentialProvider inner = settings.Type switch
        {
            SshCredentialsType.SshStaticKeys => new StaticKeyCredentialProvider(settings.Keys),
            SshCredentialsType.SshCa when !string.IsNullOrWhiteSpace(settings.CaPrivateKey) =>
                new LocalCaCredentialProvider(SshCertificateAuthority.Load(settings.CaPrivateKey), TimeSpan.FromSeconds(settings.CertificateLifetime), time),
            SshCredentialsType.SshCa => new RemoteCaCredentialProvider(http ?? new HttpClient(), RequireUrl(settings)),
            SshCredentialsType.SshService => new SshKeyServiceCredentialProvider(http ?? new HttpClient(), RequireUrl(settings), time),
            _ => throw new HpcException(HpcErrorKind.InvalidArgument, $"Unknown ssh_credentials.type {settings.Type}."),
        };
        return new CachingCredentialProvider(inner, time);
    }

    private static string RequireUrl(SshCredentialsSettings s) => string.IsNullOrWhiteSpace(s.Url)
        ? throw new HpcException(HpcErrorKind.InvalidArgument, $"ssh_credentials.url is required for type {s.Type}.")
        : s.Url;
}
