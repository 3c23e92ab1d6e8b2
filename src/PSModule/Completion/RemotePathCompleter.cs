using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Firecrest.Core;
using Firecrest.PowerShell.Infrastructure;

namespace Firecrest.PowerShell.Completion;

/// <summary>
/// Completes remote paths by listing, on the system, the directory typed so far. At <c>/</c> (or nothing typed) it
/// offers the system's file systems (and <c>~/</c>), since <c>/</c> itself lies outside them; <c>~/…</c> and relative
/// words complete under the home directory and keep the form typed.
/// </summary>
public sealed class RemotePathCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        if (session is null || CompletionBridge.SystemOf(fakeBoundParameters, session) is not { } system) return [];
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var slash = word.LastIndexOf('/');
        var resolver = new RemotePathResolver(session.Operations, system);
        if (slash <= 0 && !word.StartsWith('~') && (word.Length == 0 || word.StartsWith('/')))
        {
            var roots = CompletionBridge.Lookup(async ct =>
            {
                var systems = await session.Operations.Status.GetSystemsAsync(ct).ConfigureAwait(false);
                var mounts = systems.FirstOrDefault(s => s.Name == system)?.FileSystems.Select(f => f.Path.TrimEnd('/') + "/") ?? [];
                return word.Length == 0 ? mounts.Prepend("~/") : mounts;
            });
            return CompletionBridge.Matching(roots, word, CompletionResultType.ProviderContainer);
        }
        if (word == "~") return CompletionBridge.Matching(["~/"], word, CompletionResultType.ProviderContainer);
        var typedDirectory = slash < 0 ? "" : word[..(slash + 1)];
        var names = CompletionBridge.Lookup(async ct =>
        {
            var directory = await resolver.ResolveAsync(typedDirectory.Length == 0 ? "~" : typedDirectory, "path", ct).ConfigureAwait(false);
            var files = await session.Operations.Files.ListAsync(system, directory,
                new Core.Models.ListOptions(ShowHidden: word[(slash + 1)..].StartsWith('.')), ct).ConfigureAwait(false);
            return files.Select(f => typedDirectory + f.Name + (f.Type == "d" ? "/" : ""));
        });
        return CompletionBridge.Matching(names, word, CompletionResultType.ProviderItem);
    }
}
