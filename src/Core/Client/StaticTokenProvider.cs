namespace Firecrest.Core.Client;

/// <summary>A fixed bearer token (e.g. from an environment variable).</summary>
/// <param name="token">The token.</param>
public sealed class StaticTokenProvider(string token) : IAccessTokenProvider
{
    /// <inheritdoc/>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);

    /// <inheritdoc/>
    public void Invalidate()
    {
    }
}
