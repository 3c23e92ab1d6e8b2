using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Firecrest.PowerShell.Completion;

/// <summary>Completes -Account with the scheduler accounts the user may charge on the system (default first).</summary>
public sealed class AccountCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        if (session is null || CompletionBridge.SystemOf(fakeBoundParameters, session) is not { } system) return [];
        var accounts = CompletionBridge.Lookup(async ct =>
            ((await session.Operations.Status.GetUserInfoAsync(system, ct).ConfigureAwait(false)).Accounts ?? [])
                .OrderByDescending(a => a.Default).ThenBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => a.Default ? a.Name + "\t" + a.Name + " (default)" : a.Name + "\t" + a.Name));
        return CompletionBridge.Matching(accounts.Select(a => a.Split('\t', 2)).Select(a => (a[0], a[1])), wordToComplete);
    }
}
