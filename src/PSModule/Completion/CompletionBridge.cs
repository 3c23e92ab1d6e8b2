using System.Collections;
using System.Management.Automation;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Completion;

/// <summary>
/// Tab completion is synchronous in PowerShell: this runs a lookup on the thread pool and waits for it at most a
/// short time, returning nothing when the system is slow rather than freezing the prompt.
/// </summary>
internal static class CompletionBridge
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public static IReadOnlyList<string> Lookup(Func<CancellationToken, Task<IEnumerable<string>>> lookup)
    {
        using var cts = new CancellationTokenSource(Limit);
        var done = new ManualResetEventSlim();
        IReadOnlyList<string> found = [];
        _ = Task.Run(async () =>
        {
            try { found = (await lookup(cts.Token).ConfigureAwait(false)).ToList(); }
            catch (Exception) { /* completion offers nothing on errors */ }
            finally { done.Set(); }
        }, CancellationToken.None);
        return done.Wait(Limit) ? found : [];
    }

    /// <summary>The session named by -Session, else the current one.</summary>
    public static HpcSession? SessionOf(IDictionary fakeBoundParameters) =>
        fakeBoundParameters["Session"] as HpcSession
        ?? (fakeBoundParameters["Session"] as PSObject)?.BaseObject as HpcSession
        ?? (fakeBoundParameters["Session"] is string name ? HpcSessionStore.Find(name) : null)
        ?? HpcSessionStore.Current;

    public static string? SystemOf(IDictionary fakeBoundParameters, HpcSession session) =>
        fakeBoundParameters["System"] as string ?? session.DefaultSystem;

    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete, CompletionResultType type = CompletionResultType.ParameterValue) =>
        Matching(values.Order(StringComparer.Ordinal).Select(v => (v, v)), wordToComplete, type);

    /// <summary>
    /// The values that start with the word typed so far (quotes around it ignored), in the order given, each with its
    /// tool tip; a value holding a space or a character PowerShell would read as syntax comes back in single quotes.
    /// </summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Value, string ToolTip)> values, string wordToComplete,
        CompletionResultType type = CompletionResultType.ParameterValue)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var (v, tip) in values.Where(v => v.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(Quote(v), v, type, string.IsNullOrEmpty(tip) ? v : tip);
    }

    /// <summary><paramref name="value"/> as PowerShell must read it back: in single quotes when it holds a space or syntax.</summary>
    public static string Quote(string value) =>
        value.IndexOfAny([' ', '\t', '\'', '"', '$', '`', '(', ')', ';', '&', '|', '{', '}', '@', '#', ',', '<', '>']) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
