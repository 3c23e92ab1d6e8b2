using System.Security.Claims;

namespace Firecrest.Server.Auth;

/// <summary>
/// A copy of a validated token's identity that every request presenting the token shares: adding or removing a claim
/// throws instead of reaching the other requests. A request that needs to change its user clones it first
/// (<see cref="ClaimsIdentity.Clone"/> gives an ordinary, changeable copy).
/// </summary>
public sealed class ReadOnlyClaimsIdentity : ClaimsIdentity
{
    private readonly bool _frozen;

    /// <summary>Copies the claims, the authentication type and the name and role claim types of <paramref name="identity"/>.</summary>
    public ReadOnlyClaimsIdentity(ClaimsIdentity identity) : base(identity) => _frozen = true;

    /// <inheritdoc/>
    public override void AddClaim(Claim claim)
    {
        Refuse();
        base.AddClaim(claim);
    }

    /// <inheritdoc/>
    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        Refuse();
        base.AddClaims(claims);
    }

    /// <inheritdoc/>
    public override void RemoveClaim(Claim? claim)
    {
        Refuse();
        base.RemoveClaim(claim);
    }

    /// <inheritdoc/>
    public override bool TryRemoveClaim(Claim? claim)
    {
        Refuse();
        return base.TryRemoveClaim(claim);
    }

    // The base constructor may add the copied claims through the overridable methods; only later changes are refused.
    private void Refuse()
    {
        if (_frozen) throw new InvalidOperationException("This identity is shared by every request of its token; clone it to change it.");
    }
}
