namespace Firecrest.Core;

/// <summary>Who an operation runs as: the cluster user name and, when known, the caller's access token.</summary>
/// <param name="Username">Cluster user name.</param>
/// <param name="AccessToken">The caller's bearer token (forwarded to slurmrestd and key services), or null.</param>
public sealed record UserIdentity(string Username, string? AccessToken = null)
{
    /// <inheritdoc/>
    public override string ToString() => Username;
}
