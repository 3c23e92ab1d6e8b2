using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Firecrest.Core;

namespace Firecrest.PowerShell.Completion;

/// <summary>Completes remote paths by listing the directory typed so far on the system.</summary>
public sealed class RemotePathCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        if (session is null || CompletionBridge.SystemOf(fakeBoundParameters, session) is not { } system) return [];
        var word = (wordToComplete ?? "").Trim('\'', '"');
        if (!word.StartsWith('/')) word = "/" + word;
        var slash = word.LastIndexOf('/');
        var directory = slash == 0 ? "/" : word[..slash];
        if (!RemotePath.TryParse(directory, out var remote, out _)) return [];
        var names = CompletionBridge.Lookup(async ct =>
        {
            var files = await session.Operations.Files.ListAsync(system, remote, new Core.Models.ListOptions(ShowHidden: word[(slash + 1)..].StartsWith('.')), ct).ConfigureAwait(false);
            return files.Select(f => (directory == "/" ? "/" : directory + "/") + f.Name + (f.Type == "d" ? "/" : ""));
        });
        return CompletionBridge.Matching(names, word, CompletionResultType.ProviderItem);
    }
}
