using System.Text.Json.Serialization;
using Firecrest.Core.Json;

namespace Firecrest.Core.Configuration;

/// <summary>Kinds of SSH credential providers (<c>ssh_credentials.type</c>).</summary>
[JsonConverter(typeof(WireEnumConverter<SshCredentialsType>))]
public enum SshCredentialsType
{
    /// <summary>Keys per user listed in the configuration (<c>SSHStaticKeys</c>).</summary>
    [WireName("SSHStaticKeys")]
    SshStaticKeys,

    /// <summary>The upstream SSH key service over HTTP (<c>SSHService</c>).</summary>
    [WireName("SSHService")]
    SshService,

    /// <summary>A DeiC-style SSH CA over HTTP (<c>SSHCA</c>), or, with <see cref="SshCredentialsSettings.CaPrivateKey"/>, a CA key the engine signs with itself.</summary>
    [WireName("SSHCA")]
    SshCa,
}

/// <summary>SSH credential provider settings (<c>ssh_credentials</c>).</summary>
public sealed class SshCredentialsSettings
{
    /// <summary>Provider kind; it selects which of the other keys are used.</summary>
    [ConfigDiscriminator]
    public SshCredentialsType Type { get; set; } = SshCredentialsType.SshStaticKeys;

    /// <summary>Service URL for <c>SSHService</c> and remote <c>SSHCA</c>.</summary>
    [UsedWhen(SshCredentialsType.SshService, SshCredentialsType.SshCa)]
    public string? Url { get; set; }

    /// <summary>Connection cap towards the service.</summary>
    [UsedWhen(SshCredentialsType.SshService, SshCredentialsType.SshCa)]
    public int MaxConnections { get; set; } = 100;

    /// <summary>Static keys by user name.</summary>
    [UsedWhen(SshCredentialsType.SshStaticKeys)]
    public Dictionary<string, StaticKeySettings> Keys { get; set; } = [];

    /// <summary>Extension: private key of a local SSH CA; the engine signs short-lived user certificates with it.</summary>
    [UsedWhen(SshCredentialsType.SshCa)]
    public string? CaPrivateKey { get; set; }

    /// <summary>Extension: lifetime in seconds of certificates signed by the local CA.</summary>
    [UsedWhen(SshCredentialsType.SshCa)]
    public int CertificateLifetime { get; set; } = 300;
}

/// <summary>A static key for one user.</summary>
public sealed class StaticKeySettings
{
    /// <summary>OpenSSH or PEM private key text (after <c>secret_file:</c> resolution).</summary>
    [SecretFile]
    public string PrivateKey { get; set; } = "";

    /// <summary>Optional OpenSSH certificate text.</summary>
    [SecretFile]
    public string? PublicCert { get; set; }

    /// <summary>Optional passphrase of the private key.</summary>
    [SecretFile]
    public string? Passphrase { get; set; }
}
