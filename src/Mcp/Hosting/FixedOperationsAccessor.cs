using Firecrest.Core.Operations;

namespace Firecrest.Mcp.Hosting;

/// <summary>The stdio accessor: one <see cref="IHpcOperations"/> built at start-up, used for every call.</summary>
public sealed class FixedOperationsAccessor(IHpcOperations operations) : IHpcOperationsAccessor
{
    /// <inheritdoc/>
    public IHpcOperations Get() => operations;
}
