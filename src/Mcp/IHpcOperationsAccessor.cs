using Firecrest.Core.Operations;

namespace Firecrest.Mcp;

/// <summary>
/// Gives MCP tools the operations to act with: over stdio one fixed <see cref="IHpcOperations"/> built at start-up
/// (remote client or direct engine); over HTTP the operations of the request's authenticated user.
/// </summary>
public interface IHpcOperationsAccessor
{
    /// <summary>The operations for the current caller. Throws <see cref="ModelContextProtocol.McpException"/> when there is none.</summary>
    IHpcOperations Get();

    /// <summary>
    /// Who is calling: the authenticated user over HTTP, a fixed name over stdio (one user per process). Batch runs
    /// belong to it.
    /// </summary>
    string Caller => "local";
}
