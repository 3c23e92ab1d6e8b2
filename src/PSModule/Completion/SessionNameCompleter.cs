using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Completion;

/// <summary>Completes session names (-Name of the session cmdlets, -Session of every cmdlet) from the open sessions.</summary>
public sealed class SessionNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionBridge.Matching(HpcSessionStore.All.Select(s => (s.Name, s.ToString())), wordToComplete);
}
