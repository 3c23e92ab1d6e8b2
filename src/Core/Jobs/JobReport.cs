using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Jobs;

/// <summary>
/// One job in one look: its state and reason, what it asked for and used (from accounting: CPU time, max RSS,
/// elapsed against its limit) and the end of its output.
/// </summary>
/// <param name="Job">The job as the scheduler lists it.</param>
/// <param name="Accounting">Resource use; null when accounting is not reachable (remote mode, PBS) or does not know the job yet.</param>
/// <param name="AccountingNote">Why <paramref name="Accounting"/> is null, when it is.</param>
/// <param name="OutputPath">The stdout file; null when none can be named.</param>
/// <param name="OutputTail">Its last lines; null when it is missing or unreadable.</param>
/// <param name="ErrorPath">The stderr file when separate from stdout; null otherwise.</param>
/// <param name="ErrorTail">Its last lines.</param>
public sealed record JobReport(Job Job, JobAccounting? Accounting, string? AccountingNote, string? OutputPath, string? OutputTail, string? ErrorPath, string? ErrorTail)
{
    /// <summary>Builds the report; the job must exist (NotFound otherwise), the rest is best effort.</summary>
    public static async Task<JobReport> BuildAsync(IHpcOperations operations, string system, JobId jobId, int tailLines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var jobs = await operations.Compute.GetJobAsync(system, jobId, cancellationToken).ConfigureAwait(false);
        var job = jobs.LastOrDefault(j => j.JobId == jobId.Value) ?? jobs.Last();
        JobAccounting? accounting = null;
        string? note = null;
        if (operations is ISchedulerOperations scheduler)
        {
            try
            {
                var rows = await scheduler.GetJobAccountingAsync(system, jobId, cancellationToken).ConfigureAwait(false);
                accounting = rows.FirstOrDefault(a => a.JobId == jobId.Value);
                if (accounting is null)
                    note = rows.Count > 0 ? $"a job array has accounting per task: describe '{rows[0].JobId}' and the other tasks" : "accounting has no record of the job yet";
            }
            catch (HpcException e) when (e.Kind is not (HpcErrorKind.Unauthenticated))
            {
                note = e.Message;
            }
        }
        else note = "accounting is not part of the FirecREST v2 API (remote mode)";

        string? outPath = null, errPath = null;
        try
        {
            outPath = (await JobOutputLocator.LocateAsync(operations, system, jobId, false, cancellationToken).ConfigureAwait(false)).Value;
            var err = (await JobOutputLocator.LocateAsync(operations, system, jobId, true, cancellationToken).ConfigureAwait(false)).Value;
            if (err != outPath) errPath = err;
        }
        catch (HpcException)
        {
            // no metadata: the state and accounting still tell most of the story
        }
        var outTail = await TailAsync(operations, system, outPath, tailLines, cancellationToken).ConfigureAwait(false);
        var errTail = await TailAsync(operations, system, errPath, tailLines, cancellationToken).ConfigureAwait(false);
        return new JobReport(job, accounting, accounting is null ? note : null, outPath, outTail, errPath, errTail);
    }

    private static async Task<string?> TailAsync(IHpcOperations operations, string system, string? path, int lines, CancellationToken cancellationToken)
    {
        if (path is null || lines <= 0) return null;
        try
        {
            return (await operations.Files.TailAsync(system, RemotePath.Parse(path, "path"), lines: lines, cancellationToken: cancellationToken).ConfigureAwait(false)).Content;
        }
        catch (HpcException)
        {
            return null; // not written yet (pending job) or removed
        }
    }
}
