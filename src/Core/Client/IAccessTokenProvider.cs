namespace Firecrest.Core.Client;

/// <summary>Supplies the bearer token of a FirecREST client: OIDC client credentials, a static token, or a command.</summary>
public interface IAccessTokenProvider
{
    /// <summary>A token valid for at least a short while; cached by the provider.</summary>
    Task<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the cached token (after the server answered 401).</summary>
    void Invalidate();
}
