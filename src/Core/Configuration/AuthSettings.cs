namespace Firecrest.Core.Configuration;

/// <summary>Authentication and authorisation settings (<c>auth</c>).</summary>
public sealed class AuthSettings
{
    public AuthenticationSettings Authentication { get; set; } = new();

    /// <summary>Optional OpenFGA authorisation; null when not configured.</summary>
    public AuthorizationSettings? Authorization { get; set; }
}

/// <summary>OIDC token validation settings (<c>auth.authentication</c>).</summary>
public sealed class AuthenticationSettings
{
    /// <summary>Token endpoint (OpenAPI client-credentials flow, health-check service token).</summary>
    public string? TokenUrl { get; set; }

    /// <summary><c>client_secret_basic</c> (default) or <c>client_secret_post</c>.</summary>
    public string TokenEndpointAuthMethod { get; set; } = "client_secret_basic";

    /// <summary>JWKS URLs (http, https or file).</summary>
    public List<string> PublicCerts { get; set; } = [];

    /// <summary>Claim that holds the cluster user name.</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>Algorithm to assume when a JWK has no <c>alg</c>.</summary>
    public string? JwkAlgorithm { get; set; }

    /// <summary>Tokens that expire sooner than this many seconds are refused.</summary>
    public int MinTokenTtl { get; set; } = 30;

    /// <summary>OpenAPI scopes (documentation only).</summary>
    public Dictionary<string, string> Scopes { get; set; } = [];

    /// <summary>Extension: required <c>iss</c>; null = not checked.</summary>
    public string? Issuer { get; set; }

    /// <summary>Extension: required <c>aud</c>; null = not checked.</summary>
    public string? Audience { get; set; }

    /// <summary>Extension: JWKS refresh interval in seconds (keys are also refreshed on an unknown kid).</summary>
    public int JwksRefreshInterval { get; set; } = 300;
}

/// <summary>OpenFGA check settings (<c>auth.authorization</c>).</summary>
public sealed class AuthorizationSettings
{
    public string Url { get; set; } = "";

    public double Timeout { get; set; } = 1;

    public int MaxConnections { get; set; } = 100;
}
