using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Firecrest.PowerShell.Completion;

/// <summary>Completes -System with the systems of the session.</summary>
public sealed class SystemCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        return session is null ? [] : CompletionBridge.Matching(session.Systems, wordToComplete);
    }
}
