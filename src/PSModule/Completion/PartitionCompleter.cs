using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Firecrest.PowerShell.Completion;

/// <summary>Completes -Partition with the partitions of the system.</summary>
public sealed class PartitionCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        if (session is null || CompletionBridge.SystemOf(fakeBoundParameters, session) is not { } system) return [];
        var names = CompletionBridge.Lookup(async ct =>
            (await session.Operations.Status.GetPartitionsAsync(system, cancellationToken: ct).ConfigureAwait(false)).Select(p => p.Name));
        return CompletionBridge.Matching(names, wordToComplete);
    }
}
