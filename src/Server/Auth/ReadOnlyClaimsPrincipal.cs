using System.Security.Claims;

namespace Firecrest.Server.Auth;

/// <summary>The principal of a <see cref="ReadOnlyClaimsIdentity"/>: adding an identity throws, as adding a claim does.</summary>
public sealed class ReadOnlyClaimsPrincipal(ReadOnlyClaimsIdentity identity) : ClaimsPrincipal(identity)
{
    /// <inheritdoc/>
    public override void AddIdentity(ClaimsIdentity identity) =>
        throw new InvalidOperationException("This principal is shared by every request of its token; create another to change it.");

    /// <inheritdoc/>
    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities) =>
        throw new InvalidOperationException("This principal is shared by every request of its token; create another to change it.");
}
