using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using Firecrest.Core.Models;

namespace Firecrest.PowerShell.Completion;

/// <summary>
/// Completes -JobId with the user's jobs on the system that were queued, running or ended in the last hour, newest first,
/// with name and state as tool tip. The hour keeps the answer within the completion limit: a day of a busy user's jobs is
/// thousands of accounting rows, which took longer than the limit and so offered nothing at all.
/// </summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    private const int Most = 50;

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = CompletionBridge.SessionOf(fakeBoundParameters);
        if (session is null || CompletionBridge.SystemOf(fakeBoundParameters, session) is not { } system) return [];
        var jobs = CompletionBridge.Lookup(async ct =>
            (await session.Operations.Compute.GetJobsAsync(system, new JobQuery(TimeWindow: "1h"), ct).ConfigureAwait(false))
                .Select(j => $"{j.JobId}\t{j.Name} ({j.State})"));
        var newest = jobs
            .Select(j => j.Split('\t', 2))
            .OrderByDescending(j => long.TryParse(j[0].Split('_')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .ThenByDescending(j => j[0], StringComparer.Ordinal)
            .Take(Most)
            .Select(j => (j[0], $"{j[0]} {j[1]}"));
        return CompletionBridge.Matching(newest, wordToComplete);
    }
}
